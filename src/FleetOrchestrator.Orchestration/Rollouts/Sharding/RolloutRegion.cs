namespace FleetOrchestrator.Orchestration.Rollouts.Sharding;

/// <summary>Registry key of the rollout shard region: <c>registry.Get&lt;RolloutRegion&gt;()</c>.</summary>
public sealed class RolloutRegion
{
    /// <summary>Sharding type name; part of the remember-entities journal's persistence ids: never change it.</summary>
    public const string TypeName = "rollout";

    private RolloutRegion() { }
}
