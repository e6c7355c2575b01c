namespace FleetOrchestrator.Server.Api.Rollouts;

/// <summary>One rollout as its actor knows it: status, waves with counts and gate state, halt reason, audit.</summary>
public sealed record RolloutDetail(
    string RolloutId,
    string? Name,
    string Status,
    string? HaltReason,
    int CurrentWave,
    IReadOnlyList<RolloutWaveDetail> Waves,
    int InFlight,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt,
    IReadOnlyList<RolloutAuditEntry> Audit);
