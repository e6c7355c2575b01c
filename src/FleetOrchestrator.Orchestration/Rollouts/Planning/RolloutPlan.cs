namespace FleetOrchestrator.Orchestration.Rollouts.Planning;

/// <summary>
/// What a rollout will do, computed without touching a device: each wave's devices (from <see cref="Seed"/>), every
/// targeted device it leaves out and why, and an estimate of how long it takes if every gate passes at once.
/// </summary>
/// <param name="TimeZones">The planned devices' <c>timezone</c> tags (their maintenance windows are local to them).
/// </param>
public sealed record RolloutPlan(int Seed, IReadOnlyList<PlannedWave> Waves, IReadOnlyList<PlanExclusion> Excluded,
    TimeSpan Eta, IReadOnlyDictionary<string, string>? TimeZones = null)
{
    public int DeviceCount => Waves.Sum(w => w.DeviceIds.Count);
}
