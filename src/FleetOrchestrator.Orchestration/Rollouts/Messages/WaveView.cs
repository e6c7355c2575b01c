namespace FleetOrchestrator.Orchestration.Rollouts.Messages;

/// <summary>
/// One wave: device count, counts by outcome (plus "Running", "NotStarted", "Skipped", "Reverted"), and the gate's
/// state in words: "not started", "waiting for sample (3 of 10)", "waiting for devices (8 of 10 finished)",
/// "soaking until T", "awaiting approval", "passed", "halted: reason", "rolled back". <see cref="StartedAt"/> and
/// <see cref="EndedAt"/>: when its first device was commanded and when its gate ended it (passed, halted).
/// </summary>
public sealed record WaveView(
    string Name,
    WavePhase Phase,
    int Devices,
    IReadOnlyDictionary<string, int> Outcomes,
    string GateState,
    DateTimeOffset? SoakUntil,
    string? HaltReason,
    DateTimeOffset? StartedAt = null,
    DateTimeOffset? EndedAt = null) : IRolloutMessage;
