namespace FleetOrchestrator.Server.Api.Rollouts;

/// <summary>
/// What the rollout said to an operator action: <see cref="Found"/> false when no rollout has the id; otherwise
/// accepted or refused (<see cref="Reason"/> says why, in the engine's words), and its status after.
/// </summary>
public sealed record RolloutActionResult(bool Found, bool Accepted, string? Reason, string Status)
{
    public static RolloutActionResult NotFound { get; } = new(false, false, null, "None");
}
