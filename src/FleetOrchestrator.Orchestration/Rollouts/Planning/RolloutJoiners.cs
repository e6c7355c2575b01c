using FleetOrchestrator.Orchestration.Rollouts.Messages;

namespace FleetOrchestrator.Orchestration.Rollouts.Planning;

/// <summary>
/// Which devices join a running rollout (pure): those of the fleet that are not in it yet and that its plan would take
/// now (the same target and exclusions as the dry run: a device joins once it has reported, still runs a targeted
/// version, passes preflight and has no other rollout's saga running). The decider puts them into the current wave,
/// or the next one.
/// </summary>
public static class RolloutJoiners
{
    /// <summary>Whether devices can still come: the target selects by more than the ids already in the rollout.
    /// </summary>
    public static bool TakesJoiners(RolloutState s) =>
        s.Policy is { } p && s.Status is RolloutStatus.Running or RolloutStatus.Staging or RolloutStatus.Paused
            or RolloutStatus.Halted
        && (p.Target.Versions.Count > 0 || p.Target.Tags.Count > 0 || p.Target.HardwareTargets.Count > 0
            || p.Target.RomBootloaders.Count > 0 || p.Target.DeviceIds.Count == 0
            || p.Target.DeviceIds.Any(id => !s.Devices.ContainsKey(id)));

    public static DevicesJoined Find(RolloutState s, IReadOnlyList<PlanCandidate> fleet)
    {
        var fresh = fleet.Where(c => !s.Devices.ContainsKey(c.Row.DeviceId)).ToList();
        if (fresh.Count == 0 || s.Policy is null || s.Target is null) return new DevicesJoined(s.RolloutId, []);
        var plan = RolloutPlanner.Plan(s.Policy, fresh, s.Target, s.Seed, TimeSpan.Zero, s.RolloutId);
        var ids = plan.Waves.SelectMany(w => w.DeviceIds).Order(StringComparer.Ordinal).ToList();
        return new DevicesJoined(s.RolloutId, ids, plan.TimeZones);
    }
}
