using Akka.Actor;
using FleetOrchestrator.Protocol.Ports;

namespace FleetOrchestrator.Orchestration.Devices;

/// <summary>What every device actor shares: the transport to devices and the knobs of persistence and passivation.</summary>
/// <param name="CommandSender">Where commands go (the MQTT transport in production, a probe in tests).</param>
/// <param name="SnapshotEvery">A snapshot is saved after this many events since the last one (recovery reads at most that many).</param>
/// <param name="PassivateIdleAfter">A device actor without a running saga stops after this long without a message
/// (sharding's own idle passivation is off when remember-entities is on).</param>
/// <param name="OutcomeSubscriber">Also receives every <c>SagaOutcome</c> / <c>SagaNeedsAttention</c> (the EventStream always does).</param>
/// <param name="UrlGranter">Mints the URL of every download command sent (grants expire while a saga waits). Null: the
/// URL the update was requested with is sent as it is (tests, or a server whose URLs do not expire).</param>
/// <param name="UnheardAfter">A device actor that recovers with nothing journaled and still has heard nothing this
/// long after sends the device <c>getState</c>. Such an actor is one whose first message was lost: the shard restarts
/// an entity that stopped without passivating (a failed recovery or write: the journal's circuit breaker open while
/// a fleet comes online), and the message that started it went with it. Without the question the device would wait
/// for the unseen-device sweep (minutes). Default 10 s.</param>
public sealed record DeviceActorSettings(
    IDeviceCommandSender CommandSender,
    int SnapshotEvery = 50,
    TimeSpan? PassivateIdleAfter = null,
    IActorRef? OutcomeSubscriber = null,
    IDownloadUrlGranter? UrlGranter = null,
    TimeSpan? UnheardAfter = null)
{
    public TimeSpan IdleTimeout => PassivateIdleAfter ?? TimeSpan.FromMinutes(2);

    public TimeSpan AskUnheardAfter => UnheardAfter ?? TimeSpan.FromSeconds(10);
}

/// <summary>Journal tags. Every device event carries <see cref="Device"/> so the fleet read model can follow one stream.</summary>
public static class FleetTags
{
    public const string Device = "fleet-device";

    /// <summary>Every rollout event (a rollout list or audit projection can follow them by tag).</summary>
    public const string Rollout = "fleet-rollout";

    /// <summary>Built once so persisting does not allocate a tag set per event.</summary>
    internal static readonly System.Collections.Immutable.ImmutableHashSet<string> DeviceSet = System.Collections.Immutable.ImmutableHashSet.Create(Device);

    internal static readonly System.Collections.Immutable.ImmutableHashSet<string> RolloutSet =
        System.Collections.Immutable.ImmutableHashSet.Create(Rollout);
}
