using Akka;
using Akka.Actor;
using Akka.Persistence.Query;
using Akka.Streams.Dsl;
using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.Devices.Events;

namespace FleetOrchestrator.Orchestration.Feed;

/// <summary>
/// The durable saga feed: every device event in the journal, in journal order, live, from a stored offset
/// (Akka.Persistence.Query EventsByTag on the <see cref="FleetTags.Device"/> tag). Everything above the device actors
/// (the read model, the simulator's outcome wait, rollouts) learns what sagas do from here, never from the node-local
/// EventStream: a consumer on another node, or one that restarts, resumes from its offset and misses nothing.
/// Delivery is at least once around a resume; <see cref="DeviceFeedEvent.SequenceNr"/> lets a consumer drop repeats.
/// </summary>
public static class SagaFeed
{
    public const string DefaultReadJournal = "akka.persistence.query.journal.sql";
    private static readonly string PersistenceIdPrefix = DeviceActor.PersistenceIdOf("");

    /// <summary>Device events after <paramref name="afterOffset"/> (0: from the start), never completing.</summary>
    public static Source<DeviceFeedEvent, NotUsed> From(ActorSystem system, long afterOffset,
        string readJournalPluginId = DefaultReadJournal, string tag = FleetTags.Device)
    {
        var journal = PersistenceQuery.Get(system).ReadJournalFor<IEventsByTagQuery>(readJournalPluginId);
        var offset = afterOffset <= 0 ? Offset.NoOffset() : Offset.Sequence(afterOffset);
        return journal.EventsByTag(tag, offset)
            .Select(ToFeedEvent)
            .Where(e => e is not null)
            .Select(e => e!);
    }

    /// <summary>The device id behind a device actor's persistence id, or null for any other persistent actor.</summary>
    public static string? DeviceIdOf(string persistenceId) =>
        persistenceId.StartsWith(PersistenceIdPrefix, StringComparison.Ordinal) ? persistenceId[PersistenceIdPrefix.Length..] : null;

    private static DeviceFeedEvent? ToFeedEvent(EventEnvelope envelope) =>
        envelope.Event is IDeviceActorEvent e && DeviceIdOf(envelope.PersistenceId) is { } deviceId
            ? new DeviceFeedEvent(deviceId, envelope.SequenceNr, OffsetOf(envelope.Offset), e)
            : null;

    private static long OffsetOf(Offset offset) => offset is Sequence s ? s.Value : 0;
}
