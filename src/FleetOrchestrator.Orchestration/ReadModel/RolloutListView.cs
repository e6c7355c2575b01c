using Akka.Actor;
using Akka.Event;
using FleetOrchestrator.Orchestration.Feed;
using FleetOrchestrator.Orchestration.ReadModel.Storage;

namespace FleetOrchestrator.Orchestration.ReadModel;

/// <summary>
/// The rollout list's projector: follows the rollout events (<see cref="RolloutEventFeed"/>) from the offset stored in
/// the database and writes each batch into the <c>rollouts</c> table with its offset, in one transaction
/// (<see cref="FleetReadStore.ApplyRolloutsAsync"/>), so listing rollouts never wakes a rollout actor. Queries go to
/// the store directly.
/// </summary>
public sealed class RolloutListView : ReceiveActor
{
    private readonly FleetViewOptions _options;
    private readonly FleetReadStore _store;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public RolloutListView(FleetViewOptions options, FleetReadStore store)
    {
        _options = options;
        _store = store;
        Receive<ProjectionStopped>(s =>
            _log.Error(s.Cause, "Rollout list: the projection stopped; the list no longer follows the journal"));
    }

    public static Props PropsFor(FleetViewOptions options, FleetReadStore store) =>
        Props.Create(() => new RolloutListView(options, store));

    protected override void PreStart()
    {
        var system = Context.System;
        ResumableProjection.Run(Context, _options,
            () => _store.PositionOfAsync(FleetReadStore.RolloutListProjectionId),
            offset => RolloutEventFeed.From(system, offset, _options.ReadJournalPluginId),
            batch => _store.ApplyRolloutsAsync(batch), e => new ProjectionStopped(e));
    }

    private sealed record ProjectionStopped(Exception? Cause);
}
