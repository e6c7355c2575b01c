namespace FleetOrchestrator.Server.Api.Rollouts;

/// <summary>One thing wrong with a submitted rollout, named by its JSON path in the request body
/// (<c>$.policy.gate.successAtLeast</c>).</summary>
public sealed record RolloutPolicyProblem(string Path, string Message);
