using Akka.Actor;
using Akka.DependencyInjection;
using FleetOrchestrator.Protocol.Ports;

namespace FleetOrchestrator.Orchestration.Hosting;

/// <summary>Options of <c>AddDeviceSagas</c>.</summary>
public sealed record DeviceSagaOptions
{
    /// <summary>Shard count; about 10x the largest number of nodes. Never change it while the cluster or its journal lives.</summary>
    public int MaxShards { get; init; } = 100;

    public int SnapshotEvery { get; init; } = 50;

    /// <summary>Idle device actors without a running saga stop after this long.</summary>
    public TimeSpan PassivateIdleAfter { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// A device actor that starts with nothing journaled asks its device for its state after this long without news
    /// (<see cref="DeviceActorSettings.UnheardAfter"/>, which says why).
    /// </summary>
    public TimeSpan UnheardAfter { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The transport. Default: resolved from DI (the MQTT project registers its <see cref="IDeviceCommandSender"/>).</summary>
    public Func<ActorSystem, IDependencyResolver, IDeviceCommandSender>? CommandSender { get; init; }

    /// <summary>
    /// Mints each download command's URL. Default: resolved from DI when registered
    /// (<see cref="IDownloadUrlGranter"/>), else the URL the update was requested with is sent unchanged.
    /// </summary>
    public Func<ActorSystem, IDependencyResolver, IDownloadUrlGranter?>? UrlGranter { get; init; }

    /// <summary>Optional extra receiver of SagaOutcome / SagaNeedsAttention (the EventStream always gets them).</summary>
    public Func<ActorSystem, IActorRef?>? OutcomeSubscriber { get; init; }

    /// <summary>The role a node needs to host device shards (<see cref="FleetClusterOptions.ShardRole"/>).</summary>
    public string? ShardRole { get; init; }
}
