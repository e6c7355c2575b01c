using Akka.Actor;
using FleetOrchestrator.Orchestration.Rollouts.Planning;

namespace FleetOrchestrator.Orchestration.Rollouts.Actors;

/// <summary>What every rollout actor shares.</summary>
/// <param name="DeviceRegion">Where StartUpdate / ActivateUpdate / CancelUpdate go (the device shard region).</param>
/// <param name="SnapshotEvery">A snapshot after this many events since the last one.</param>
/// <param name="ResendInterval">An unanswered StartUpdate, ActivateUpdate or rollback start is re-sent this often
/// (same update id: idempotent).</param>
/// <param name="Candidates">The fleet as plans see it (the read store); null: devices join only by DevicesJoined.
/// </param>
/// <param name="JoinCheckInterval">How often a rollout that takes joiners looks for devices that match its target
/// since it started (provisioned later, or now matching).</param>
public sealed record RolloutActorSettings(
    IActorRef DeviceRegion,
    int SnapshotEvery = 1000,
    TimeSpan? ResendInterval = null,
    Func<CancellationToken, Task<IReadOnlyList<PlanCandidate>>>? Candidates = null,
    TimeSpan? JoinCheckInterval = null)
{
    public TimeSpan Resend => ResendInterval ?? TimeSpan.FromSeconds(30);

    public TimeSpan JoinCheck => JoinCheckInterval ?? TimeSpan.FromMinutes(1);
}
