namespace FleetOrchestrator.Server.Api.Rollouts;

/// <summary>Optional body of <c>POST /api/rollouts/{id}/{action}</c>: why (recorded in the audit), and for
/// <c>approve</c> the wave the operator means (refused if it is no longer the current one).</summary>
public sealed record RolloutActionRequest(string? Reason, int? Wave);
