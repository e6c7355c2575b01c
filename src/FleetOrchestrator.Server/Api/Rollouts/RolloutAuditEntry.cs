namespace FleetOrchestrator.Server.Api.Rollouts;

/// <summary>One operator action on a rollout: what, when, who and why.</summary>
public sealed record RolloutAuditEntry(DateTimeOffset At, string Action, string Who, string Why);
