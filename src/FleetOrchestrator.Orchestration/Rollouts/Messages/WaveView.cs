namespace FleetOrchestrator.Orchestration.Rollouts.Messages;

/// <summary>
/// One wave: device count, counts by outcome (plus "Running", "NotStarted", "Skipped", "Reverted"), and the gate's
/// state in words: "not started", "waiting for sample (3 of 10)", "waiting for devices (8 of 10 finished)",
/// "soaking until T", "awaiting approval", "passed", "halted: reason", "rolled back".
/// </summary>
public sealed record WaveView(
    string Name,
    WavePhase Phase,
    int Devices,
    IReadOnlyDictionary<string, int> Outcomes,
    string GateState,
    DateTimeOffset? SoakUntil,
    string? HaltReason) : IRolloutMessage;
