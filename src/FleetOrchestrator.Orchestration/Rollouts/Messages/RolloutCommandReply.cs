namespace FleetOrchestrator.Orchestration.Rollouts.Messages;

/// <summary>
/// Answer to every rollout command (each accepted one is journaled with who, when and why), and the acknowledgement
/// of <see cref="SagaConcluded"/> and <see cref="DeviceReverted"/>.
/// </summary>
public sealed record RolloutCommandReply(string RolloutId, bool Accepted, string? Reason, RolloutStatus Status)
    : IRolloutMessage;
