using System.Collections.Immutable;
using Akka.Actor;
using Akka.Persistence;
using Akka.Persistence.Journal;
using FleetOrchestrator.Orchestration.Devices;

namespace FleetOrchestrator.Orchestration.Tests.Support;

/// <summary>Writes device events into the journal under a device's persistence id and tag, as its actor
/// would.</summary>
public sealed class JournalWriter : ReceivePersistentActor
{
    public JournalWriter(string deviceId)
    {
        PersistenceId = DeviceActor.PersistenceIdOf(deviceId);
        Recover<object>(_ => { });
        Command<object>(e =>
            Persist(new Tagged(e, ImmutableHashSet.Create(FleetTags.Device)), _ => Sender.Tell("written")));
    }

    public override string PersistenceId { get; }

    public static Props PropsFor(string deviceId) => Props.Create(() => new JournalWriter(deviceId));
}
