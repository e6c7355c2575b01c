namespace FleetOrchestrator.Orchestration.Rollouts.Policy;

/// <summary>A policy that passed every rule, or the problems (never both).</summary>
public sealed record RolloutPolicyResult(RolloutPolicy? Policy, IReadOnlyList<PolicyProblem> Problems)
{
    public bool IsValid => Policy is not null;
}
