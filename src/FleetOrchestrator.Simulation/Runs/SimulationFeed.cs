using Akka;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.Orchestration.Devices.Messages;
using FleetOrchestrator.Orchestration.Feed;

namespace FleetOrchestrator.Simulation.Runs;

/// <summary>
/// What `fleet simulate` learns from the orchestrator: the durable saga feed (the journal by tag), followed with a
/// <see cref="SagaTracker"/>. It tells when every device has registered (online on its initial version) and hands
/// every concluded saga to a callback, once. Across an orchestrator restart it resumes on the new actor system from
/// the last offset it saw, so nothing concluded while the orchestrator was down is missed and nothing counts twice.
/// </summary>
internal sealed class SimulationFeed(
    int devices, Func<string, SemanticVersion> initialVersionOf, Action<SagaOutcome> onOutcome)
{
    private readonly SagaTracker _tracker = new();
    private readonly HashSet<string> _registered = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _allRegistered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _gate = new();
    private long _offset;
    private UniqueKillSwitch? _running;

    /// <summary>Completes once the feed has shown every device online on its initial version.</summary>
    public Task AllRegistered => _allRegistered.Task;

    /// <summary>How many devices the feed has shown online on their initial version.</summary>
    public int Registered
    {
        get { lock (_gate) return _registered.Count; }
    }

    /// <summary>Follows the feed on <paramref name="system"/> from the last offset seen (stops following the previous one).</summary>
    public void Follow(ActorSystem system)
    {
        _running?.Shutdown();
        long from;
        lock (_gate) from = _offset;
        _running = SagaFeed.From(system, from)
            .ViaMaterialized(KillSwitches.Single<DeviceFeedEvent>(), Keep.Right)
            .To(Sink.ForEach<DeviceFeedEvent>(Apply))
            .Run(system.Materializer());
    }

    public void Stop() => _running?.Shutdown();

    private void Apply(DeviceFeedEvent e)
    {
        SagaOutcome? outcome;
        lock (_gate)
        {
            outcome = _tracker.Apply(e);
            _offset = Math.Max(_offset, e.Offset);
            var row = _tracker.RowOf(e.DeviceId)!;
            if (row.Online == true && row.RunningVersion == initialVersionOf(e.DeviceId)) _registered.Add(e.DeviceId);
            if (_registered.Count >= devices) _allRegistered.TrySetResult();
        }
        if (outcome is not null) onOutcome(outcome);
    }
}
