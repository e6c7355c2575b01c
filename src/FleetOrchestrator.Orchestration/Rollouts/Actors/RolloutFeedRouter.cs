using Akka;
using Akka.Actor;
using Akka.Event;
using Akka.Persistence.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.Devices.Events;
using FleetOrchestrator.Orchestration.Feed;
using FleetOrchestrator.Orchestration.ReadModel;
using FleetOrchestrator.Orchestration.ReadModel.Storage;
using FleetOrchestrator.Orchestration.Rollouts.Messages;

namespace FleetOrchestrator.Orchestration.Rollouts.Actors;

/// <summary>
/// Tells rollouts what their sagas did, from the durable saga feed: follows <see cref="SagaFeed"/> from the offset
/// stored under <see cref="RolloutFeedRouterOptions.ProjectionId"/> with a <see cref="SagaTracker"/>, and for every
/// concluded saga whose rollout id is set sends <see cref="SagaConcluded"/> to the rollout region. A batch's offset is
/// stored only after every rollout acknowledged (Ask, re-sent on timeout): at least once, and the rollout dedups by
/// (device id, update id). One per node for now (a cluster singleton with issue 11).
/// </summary>
public sealed class RolloutFeedRouter : ReceiveActor
{
    private readonly RolloutFeedRouterOptions _options;
    private readonly FleetReadStore _store;
    private readonly IActorRef _rollouts;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public RolloutFeedRouter(RolloutFeedRouterOptions options, FleetReadStore store, IActorRef rollouts)
    {
        _options = options;
        _store = store;
        _rollouts = rollouts;
        Receive<RouterStopped>(s =>
            _log.Error(s.Cause, "Rollout feed router stopped; rollouts no longer learn saga outcomes"));
    }

    public static Props PropsFor(RolloutFeedRouterOptions options, FleetReadStore store, IActorRef rollouts) =>
        Props.Create(() => new RolloutFeedRouter(options, store, rollouts));

    protected override void PreStart()
    {
        var restart = RestartSettings.Create(_options.MinRestartBackoff, _options.MaxRestartBackoff, 0.2);
        var system = Context.System;
        var self = Self;
        // Each (re)start reads the stored offset and builds a fresh tracker, so events after the last stored batch are
        // seen (and routed) again rather than taken as repeats.
        var projection = RolloutFeedRouterOptions.ProjectionId;
        RestartSource.OnFailuresWithBackoff(() => Source.FromTask(_store.PositionOfAsync(projection))
                .ConcatMany(position =>
                {
                    var route = new BatchRouter(system, _options, _store, _rollouts, new SagaTracker(),
                        position.EventsApplied);
                    return SagaFeed.From(system, position.Offset, _options.ReadJournalPluginId, _options.Tag)
                        .GroupedWithin(_options.BatchSize, _options.BatchDelay)
                        .SelectAsync(1, batch => route.RouteAsync(batch.ToList()));
                }), restart)
            .RunWith(Sink.OnComplete<ProjectionPosition>(
                () => self.Tell(new RouterStopped(null)),
                e => self.Tell(new RouterStopped(e))), Context.Materializer());
    }

    private sealed record RouterStopped(Exception? Cause);

    /// <summary>One stream's state: its tracker and count (the stream handles one batch at a time).</summary>
    private sealed class BatchRouter(ActorSystem system, RolloutFeedRouterOptions options, FleetReadStore store,
        IActorRef rollouts, SagaTracker tracker, long handled)
    {
        public async Task<ProjectionPosition> RouteAsync(IReadOnlyList<DeviceFeedEvent> batch)
        {
            var deliveries = new List<IWithRolloutId>();
            foreach (var e in batch)
            {
                // Resuming mid-saga: the events before the stored offset say which update and rollout the saga is.
                if (tracker.RowOf(e.DeviceId) is null && e.SequenceNr > 1 && e.Event is not UpdateRequested)
                    await SeedAsync(e).ConfigureAwait(false);
                if (tracker.Apply(e) is not { RolloutId: { } rolloutId } outcome) continue;
                // A revert after the commit concludes the same update again (SagaTracker): for the rollout it is a
                // failure of the device's wave, not a second outcome.
                deliveries.Add(outcome.Outcome == UpdateOutcome.RevertedAfterCommit
                    ? new DeviceReverted(rolloutId, outcome.DeviceId, outcome.UpdateId, outcome.At)
                    : new SagaConcluded(rolloutId, outcome.DeviceId, outcome.UpdateId, outcome.Outcome,
                        outcome.Reason, outcome.At));
            }
            await Task.WhenAll(deliveries.Select(DeliverAsync)).ConfigureAwait(false);
            handled += batch.Count;
            var position = new ProjectionPosition(batch.Max(e => e.Offset), handled);
            await store.StorePositionAsync(RolloutFeedRouterOptions.ProjectionId, position).ConfigureAwait(false);
            return position;
        }

        private async Task DeliverAsync(IWithRolloutId message)
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await rollouts.Ask<RolloutCommandReply>(message, options.AskTimeout).ConfigureAwait(false);
                    return;
                }
                catch (Exception ex) when (ex is AskTimeoutException or TaskCanceledException)
                {
                    system.Log.Warning("Rollout {0} did not acknowledge {1} (attempt {2}); sending it again",
                        message.RolloutId, message, attempt);
                }
            }
        }

        private async Task SeedAsync(DeviceFeedEvent e)
        {
            var journal = PersistenceQuery.Get(system)
                .ReadJournalFor<ICurrentEventsByPersistenceIdQuery>(options.ReadJournalPluginId);
            FleetDeviceRow? row = null;
            await journal.CurrentEventsByPersistenceId(DeviceActor.PersistenceIdOf(e.DeviceId), 0, e.SequenceNr - 1)
                .RunForeach(envelope =>
                {
                    if (envelope.Event is IDeviceActorEvent past)
                        row = FleetProjection.Apply(row ?? FleetDeviceRow.Empty(e.DeviceId, past.At), past);
                }, system.Materializer()).ConfigureAwait(false);
            if (row is not null) tracker.Seed(row, e.SequenceNr - 1);
        }
    }
}
