namespace FleetOrchestrator.Orchestration.Rollouts;

/// <summary>One operator action in a rollout's audit trail: what, when, who and why.</summary>
public sealed record AuditEntry(DateTimeOffset At, string Action, string Who, string Why);
