namespace FleetOrchestrator.Orchestration.Rollouts.Messages;

/// <summary>One page of a rollout's devices; <see cref="Total"/> counts every device the query selects.</summary>
public sealed record RolloutDevicesPage(string RolloutId, int Total, IReadOnlyList<RolloutDevice> Devices) : IRolloutMessage;
