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
/// The one subscription of this process to the durable feeds for the dashboards, held only while at least one
/// dashboard is connected (no viewer, no cost): the saga feed and the rollout feed, each from where the read model
/// stands when the first client connects (what that client's GETs show), reported to the <see cref="DashboardHub"/>,
/// which coalesces and fans out. A failed stream restarts with backoff after the last offset it delivered. Nothing is
/// stored: a dashboard that missed something reloads from the GET endpoints.
/// </summary>
internal sealed class DashboardFeedPump(ActorSystem system, FleetReadStore store, DashboardHub hub) : IHostedService
{
    private static readonly RestartSettings Restart =
        RestartSettings.Create(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10), 0.2);

    private readonly Lock _gate = new();
    private UniqueKillSwitch? _devices;
    private UniqueKillSwitch? _rollouts;
    private bool _stopped;

    /// <summary>True while the feeds are followed.</summary>
    public bool Following
    {
        get { lock (_gate) return _devices is not null; }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        hub.OnClientsChanged(ClientsChanged);
        ClientsChanged();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _stopped = true;
            StopFollowing();
        }
        return Task.CompletedTask;
    }

    /// <summary>Reads the count now rather than trusting the order of calls, so the last call sets it right.</summary>
    private void ClientsChanged()
    {
        lock (_gate)
        {
            var watched = hub.ClientCount > 0 && !_stopped;
            if (watched && _devices is null)
            {
                var materializer = system.Materializer();
                _devices = FollowDevices(materializer);
                _rollouts = FollowRollouts(materializer);
            }
            else if (!watched && _devices is not null)
                StopFollowing();
        }
    }

    private void StopFollowing()
    {
        _devices?.Shutdown();
        _rollouts?.Shutdown();
        (_devices, _rollouts) = (null, null);
    }

    private UniqueKillSwitch FollowDevices(IMaterializer materializer)
    {
        var tracker = new SagaTracker();
        long after = 0;
        return Run(() => after > 0
                ? SagaFeed.From(system, after)
                : Source.FromTask(store.PositionAsync()).ConcatMany(p => SagaFeed.From(system, p.Offset)),
            e =>
            {
                after = Math.Max(after, e.Offset);
                var concluded = tracker.Apply(e);
                // A saga step may move its rollout's counts; a device's own reports (state, presence, boot) do not.
                var rolloutId = e.Event is DeviceStateObserved or DevicePresenceObserved or DeviceBootObserved
                    ? null
                    : tracker.RowOf(e.DeviceId)?.RolloutId;
                hub.DeviceEventSeen(e.DeviceId, rolloutId, concluded?.Outcome.ToString());
            }, materializer);
    }

    private UniqueKillSwitch FollowRollouts(IMaterializer materializer)
    {
        long after = 0;
        return Run(() => after > 0
                ? RolloutEventFeed.From(system, after)
                : Source.FromTask(store.PositionOfAsync(FleetReadStore.RolloutListProjectionId))
                    .ConcatMany(p => RolloutEventFeed.From(system, p.Offset)),
            e =>
            {
                after = Math.Max(after, e.Offset);
                hub.RolloutEventSeen(e.RolloutId);
            }, materializer);
    }

    private static UniqueKillSwitch Run<T>(Func<Source<T, NotUsed>> feed, Action<T> onEvent,
        IMaterializer materializer) =>
        RestartSource.OnFailuresWithBackoff(feed, Restart)
            .ViaMaterialized(KillSwitches.Single<T>(), Keep.Right)
            .To(Sink.ForEach(onEvent))
            .Run(materializer);
}
