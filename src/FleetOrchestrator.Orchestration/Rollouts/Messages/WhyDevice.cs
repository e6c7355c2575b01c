namespace FleetOrchestrator.Orchestration.Rollouts.Messages;

/// <summary>Asks why a device of a rollout is where it is: answered with <see cref="DeviceExplanation"/>.</summary>
public sealed record WhyDevice(string RolloutId, string DeviceId) : IWithRolloutId, IRolloutMessage;
