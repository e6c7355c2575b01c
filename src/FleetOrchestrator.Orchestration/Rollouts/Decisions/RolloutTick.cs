namespace FleetOrchestrator.Orchestration.Rollouts.Decisions;

/// <summary>Input: the rollout's persisted deadline (soak end, rate-limit slot) may have come.</summary>
public sealed class RolloutTick
{
    public static readonly RolloutTick Instance = new();
    private RolloutTick() { }
}
