namespace FleetOrchestrator.Orchestration.Rollouts.Decisions;

/// <summary>A gate's verdict with its reason in words; <see cref="Until"/> is the soak's end.</summary>
public sealed record GateVerdict(GateVerdictKind Kind, string Detail, DateTimeOffset? Until = null);
