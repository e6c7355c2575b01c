using Akka.Actor;
using Akka.Event;
using FleetOrchestrator.Orchestration.Feed;
using FleetOrchestrator.Orchestration.ReadModel.Storage;

namespace FleetOrchestrator.Orchestration.ReadModel;

/// <summary>
/// The fleet read model's projector: follows the durable saga feed from the offset stored in the database and writes
/// each batch of device events, with the batch's offset, into <see cref="FleetReadStore"/> in one transaction. It
/// holds no rows: queries sent to it are answered by the store off the actor thread (callers may also use the store
/// directly). One per database; a projection, so it lags the journal by the read journal's refresh interval plus
/// one batch.
/// </summary>
public sealed class FleetView : ReceiveActor
{
    private readonly FleetViewOptions _options;
    private readonly FleetReadStore _store;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public FleetView(FleetViewOptions options, FleetReadStore store)
    {
        _options = options;
        _store = store;
        Receive<QueryFleet>(q => _store.QueryAsync(q.Filter).PipeTo(Sender));
        Receive<GetFleetDevice>(q => _store.GetAsync(q.DeviceId)
            .ContinueWith(t => new FleetDeviceResult(t.Result), TaskContinuationOptions.OnlyOnRanToCompletion)
            .PipeTo(Sender));
        Receive<GetFleetSummary>(q => _store.SummaryAsync(q.Filter).PipeTo(Sender));
        Receive<ProjectionStopped>(s =>
            _log.Error(s.Cause, "Fleet view: the projection stopped; the view no longer follows the journal"));
    }

    public static Props PropsFor(FleetViewOptions options, FleetReadStore store) =>
        Props.Create(() => new FleetView(options, store));

    protected override void PreStart()
    {
        var system = Context.System;
        ResumableProjection.Run(Context, _options, () => _store.PositionAsync(),
            offset => SagaFeed.From(system, offset, _options.ReadJournalPluginId, _options.Tag),
            batch => _store.ApplyAsync(batch), e => new ProjectionStopped(e));
    }

    private sealed record ProjectionStopped(Exception? Cause);
}
