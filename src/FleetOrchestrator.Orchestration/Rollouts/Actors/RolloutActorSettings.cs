using Akka.Actor;

namespace FleetOrchestrator.Orchestration.Rollouts.Actors;

/// <summary>What every rollout actor shares.</summary>
/// <param name="DeviceRegion">Where StartUpdate / ActivateUpdate / CancelUpdate go (the device shard region).</param>
/// <param name="SnapshotEvery">A snapshot after this many events since the last one.</param>
/// <param name="ResendInterval">An unanswered StartUpdate, ActivateUpdate or rollback start is re-sent this often
/// (same update id: idempotent).</param>
public sealed record RolloutActorSettings(
    IActorRef DeviceRegion,
    int SnapshotEvery = 1000,
    TimeSpan? ResendInterval = null)
{
    public TimeSpan Resend => ResendInterval ?? TimeSpan.FromSeconds(30);
}
