namespace FleetOrchestrator.Orchestration.Rollouts.Messages;

/// <summary>A rollout as the API shows it. <see cref="Status"/> None: no such rollout.</summary>
public sealed record RolloutView(
    string RolloutId,
    string? Name,
    RolloutStatus Status,
    string? HaltReason,
    int CurrentWave,
    IReadOnlyList<WaveView> Waves,
    int InFlight,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt,
    IReadOnlyList<AuditEntry> Audit) : IRolloutMessage;
