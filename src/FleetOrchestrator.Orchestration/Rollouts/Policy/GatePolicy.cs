using FleetOrchestrator.Orchestration.Devices;

namespace FleetOrchestrator.Orchestration.Rollouts.Policy;

/// <summary>
/// When a wave may be declared healthy, and when it must halt the rollout.
/// </summary>
/// <param name="MinSample">Finished devices needed before any decision.</param>
/// <param name="SuccessAtLeast">Share of the wave's finished devices that must be Updated to advance (0..1).</param>
/// <param name="FailuresAtMost">Share of failures (see <see cref="CountAsFailure"/>) above which the rollout halts
/// (0..1).</param>
/// <param name="Soak">How long the wave's devices must stay healthy (no silent revert, no health failure) after its
/// last success before the next wave starts.</param>
/// <param name="Approval">Whether an operator must approve the next wave.</param>
/// <param name="CountAsFailure">Outcomes that count as failures; Incompatible and UpToDate never count.</param>
public sealed record GatePolicy(
    int MinSample,
    double SuccessAtLeast,
    double FailuresAtMost,
    TimeSpan Soak,
    ApprovalMode Approval,
    IReadOnlyList<UpdateOutcome> CountAsFailure)
{
    public static readonly IReadOnlyList<UpdateOutcome> DefaultFailures =
        [UpdateOutcome.RolledBack, UpdateOutcome.Failed, UpdateOutcome.Lost];

    public static GatePolicy Default { get; } =
        new(10, 0.95, 0.05, TimeSpan.FromMinutes(30), ApprovalMode.Auto, DefaultFailures);
}
