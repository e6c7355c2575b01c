namespace FleetOrchestrator.Orchestration.Rollouts.Messages;

/// <summary>A device this rollout updated went back to its old image after the commit (a failure of its
/// wave).</summary>
public sealed record DeviceReverted(string RolloutId, string DeviceId, string UpdateId, DateTimeOffset At)
    : IWithRolloutId, IRolloutMessage;
