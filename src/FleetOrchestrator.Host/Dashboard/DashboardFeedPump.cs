using Akka;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using FleetOrchestrator.Orchestration.Devices.Events;
using FleetOrchestrator.Orchestration.Feed;
using FleetOrchestrator.Orchestration.ReadModel.Storage;
using FleetOrchestrator.Server.Dashboard;
using Microsoft.Extensions.Hosting;

namespace FleetOrchestrator.Host.Dashboard;

/// <summary>
/// The one subscription of this process to the durable feeds for the dashboards: the saga feed and the rollout feed,
/// each from where the read model stands at start (what the dashboards' first GETs show), reported to the
/// <see cref="DashboardHub"/>, which coalesces and fans out. A failed stream restarts with backoff after the last
/// offset it delivered; nothing is stored, since a dashboard that missed something reloads from the GET endpoints.
/// </summary>
internal sealed class DashboardFeedPump(ActorSystem system, FleetReadStore store, DashboardHub hub) : IHostedService
{
    private static readonly RestartSettings Restart =
        RestartSettings.Create(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10), 0.2);

    private readonly SagaTracker _tracker = new();
    private long _deviceOffset;
    private long _rolloutOffset;
    private UniqueKillSwitch? _devices;
    private UniqueKillSwitch? _rollouts;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _deviceOffset = (await store.PositionAsync(cancellationToken).ConfigureAwait(false)).Offset;
        _rolloutOffset = (await store.PositionOfAsync(FleetReadStore.RolloutListProjectionId, cancellationToken)
            .ConfigureAwait(false)).Offset;
        var materializer = system.Materializer();
        _devices = Run(() => SagaFeed.From(system, _deviceOffset), OnDeviceEvent, materializer);
        _rollouts = Run(() => RolloutEventFeed.From(system, _rolloutOffset), OnRolloutEvent, materializer);
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _devices?.Shutdown();
        _rollouts?.Shutdown();
        return Task.CompletedTask;
    }

    private static UniqueKillSwitch Run<T>(Func<Source<T, NotUsed>> feed, Action<T> onEvent,
        IMaterializer materializer) =>
        RestartSource.OnFailuresWithBackoff(feed, Restart)
            .ViaMaterialized(KillSwitches.Single<T>(), Keep.Right)
            .To(Sink.ForEach(onEvent))
            .Run(materializer);

    private void OnDeviceEvent(DeviceFeedEvent e)
    {
        _deviceOffset = Math.Max(_deviceOffset, e.Offset);
        var concluded = _tracker.Apply(e);
        // A saga step may move its rollout's counts; a device's own reports (state, presence, boot) do not.
        var rolloutId = e.Event is DeviceStateObserved or DevicePresenceObserved or DeviceBootObserved
            ? null
            : _tracker.RowOf(e.DeviceId)?.RolloutId;
        hub.DeviceEventSeen(e.DeviceId, rolloutId, concluded?.Outcome.ToString());
    }

    private void OnRolloutEvent(RolloutFeedEvent e)
    {
        _rolloutOffset = Math.Max(_rolloutOffset, e.Offset);
        hub.RolloutEventSeen(e.RolloutId);
    }
}
