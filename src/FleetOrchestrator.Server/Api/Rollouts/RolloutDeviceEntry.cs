namespace FleetOrchestrator.Server.Api.Rollouts;

/// <summary>One device of a rollout: its wave, its step, its saga's outcome and, after a fleet rollback, the
/// rollback's.</summary>
public sealed record RolloutDeviceEntry(
    string DeviceId,
    int Wave,
    string UpdateId,
    string Step,
    string? Outcome,
    string? Reason,
    DateTimeOffset? FinishedAt,
    bool Reverted,
    string? RollbackOutcome);
