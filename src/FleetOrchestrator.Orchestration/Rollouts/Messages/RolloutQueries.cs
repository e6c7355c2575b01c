using FleetOrchestrator.Orchestration.Devices;

namespace FleetOrchestrator.Orchestration.Rollouts.Messages;

/// <summary>Asks a rollout for its <see cref="RolloutView"/>.</summary>
public sealed record GetRollout(string RolloutId) : IWithRolloutId, IRolloutMessage;

/// <summary>Asks why a device of a rollout is where it is: answered with <see cref="DeviceExplanation"/>.</summary>
public sealed record WhyDevice(string RolloutId, string DeviceId) : IWithRolloutId, IRolloutMessage;

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

/// <summary>
/// Why a device is where it is. <see cref="WaitingFor"/>: "gate", "approval", "in-flight limit", "rate limit",
/// "device", "operator", "activation", or null (nothing: it finished, or the rollout ended); <see cref="Detail"/> says
/// it in words. <see cref="Wave"/> is null for a device that is not in the rollout.
/// </summary>
public sealed record DeviceExplanation(
    string RolloutId,
    string DeviceId,
    int? Wave,
    string? WaveName,
    RolloutDeviceStep? Step,
    UpdateOutcome? Outcome,
    string? WaitingFor,
    string Detail) : IRolloutMessage;
