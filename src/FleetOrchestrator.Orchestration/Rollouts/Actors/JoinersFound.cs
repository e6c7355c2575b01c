using FleetOrchestrator.Orchestration.Rollouts.Messages;

namespace FleetOrchestrator.Orchestration.Rollouts.Actors;

/// <summary>The result of one joiner check: the devices to join (none is an empty list), or why the check failed.
/// </summary>
internal sealed record JoinersFound(DevicesJoined? Joined, string? Failure);
