using FleetOrchestrator.Orchestration.Devices;

namespace FleetOrchestrator.Orchestration.Rollouts.Messages;

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
