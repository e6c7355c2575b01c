namespace FleetOrchestrator.Server.Api.Rollouts;

/// <summary>
/// The answer to a submitted rollout: problems (nothing planned or started), or the plan, and for a real start the
/// rollout's id and status, or why the engine refused it (<see cref="Refused"/>: an id already taken, ...).
/// </summary>
public sealed record RolloutSubmission(
    IReadOnlyList<RolloutPolicyProblem> Problems,
    RolloutPlanView? Plan,
    string? RolloutId,
    string? Status,
    string? Refused)
{
    public static RolloutSubmission Invalid(IReadOnlyList<RolloutPolicyProblem> problems) =>
        new(problems, null, null, null, null);

    public static RolloutSubmission Planned(string rolloutId, RolloutPlanView plan) =>
        new([], plan, rolloutId, null, null);

    public static RolloutSubmission Started(string rolloutId, string status, RolloutPlanView plan) =>
        new([], plan, rolloutId, status, null);

    public static RolloutSubmission Refuse(string rolloutId, string reason, RolloutPlanView plan) =>
        new([], plan, rolloutId, null, reason);
}
