using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.Devices.Messages;
using FleetOrchestrator.Orchestration.ReadModel;
using FleetOrchestrator.Orchestration.Rollouts.Policy;
using FleetOrchestrator.Protocol.Messages;

namespace FleetOrchestrator.Orchestration.Rollouts.Planning;

/// <summary>
/// The dry run (pure): which devices a policy targets, which of them it leaves out and why (the same preflight rules
/// the saga applies, from the last report in the read model), the waves from the seed (<see cref="WavePlanner"/>,
/// spread across the <c>cell</c> tag), and an ETA. A real start uses the same plan, so the dry run's waves are the
/// run's waves for the same seed, fleet and policy.
/// </summary>
public static class RolloutPlanner
{
    /// <summary>The tag whose values are network cells (waves spread across it).</summary>
    public const string CellTag = "cell";

    /// <summary>The tag naming a device's time zone (IANA name or offset), in which its maintenance window is read.
    /// </summary>
    public const string TimeZoneTag = "timezone";

    /// <param name="perDevice">How long one device's update takes on its link (download, swap, health window).</param>
    /// <param name="rolloutId">The rollout being planned: its own devices are not "in another rollout".</param>
    public static RolloutPlan Plan(RolloutPolicy policy, IReadOnlyList<PlanCandidate> fleet, UpdateTarget target,
        int seed, TimeSpan perDevice, string? rolloutId = null)
    {
        var excluded = new List<PlanExclusion>();
        var eligible = new List<WaveCandidate>();
        var known = new HashSet<string>(StringComparer.Ordinal);
        var zones = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var candidate in fleet.OrderBy(c => c.Row.DeviceId, StringComparer.Ordinal))
        {
            known.Add(candidate.Row.DeviceId);
            if (!Targets(policy.Target, candidate)) continue;
            if ((Exclusion(candidate, target, rolloutId) ?? ZoneExclusion(policy, candidate)) is { } exclusion)
            {
                excluded.Add(exclusion);
                continue;
            }
            eligible.Add(new WaveCandidate(candidate.Row.DeviceId, candidate.Tags.GetValueOrDefault(CellTag)));
            if (candidate.Tags.TryGetValue(TimeZoneTag, out var zone)) zones[candidate.Row.DeviceId] = zone;
        }
        foreach (var id in policy.Target.DeviceIds.Where(id => !known.Contains(id)).Distinct(StringComparer.Ordinal))
            excluded.Add(new PlanExclusion(id, "never-seen", "the orchestrator has never heard from this device"));

        var assigned = WavePlanner.Assign(eligible, policy, seed);
        var names = WaveNames(policy, assigned.Count);
        var waves = assigned.Select((ids, i) => new PlannedWave(names[i], ids)).ToList();
        return new RolloutPlan(seed, waves, excluded, Eta(policy, waves, perDevice), zones);
    }

    /// <summary>A device whose maintenance window cannot be placed: its time-zone tag names no zone.</summary>
    private static PlanExclusion? ZoneExclusion(RolloutPolicy policy, PlanCandidate candidate) =>
        policy.Window is { } w && candidate.Tags.TryGetValue(TimeZoneTag, out var zone)
            && new SwapWindow(w.LocalStart, w.LocalEnd, zone).DescribeProblem() is { } problem
            ? new(candidate.Row.DeviceId, "unknown-time-zone", problem)
            : null;

    /// <summary>Every criterion the target names must hold; tag values are alternatives.</summary>
    public static bool Targets(RolloutTarget target, PlanCandidate candidate)
    {
        var row = candidate.Row;
        if (target.DeviceIds.Count > 0 && !target.DeviceIds.Contains(row.DeviceId, StringComparer.Ordinal))
            return false;
        if (target.Versions.Count > 0 && (row.RunningVersion is not { } v || !target.Versions.Contains(v.ToString())))
            return false;
        if (target.HardwareTargets.Count > 0 && (row.HardwareTarget is not { } hw
            || !target.HardwareTargets.Contains(hw, StringComparer.OrdinalIgnoreCase)))
            return false;
        if (target.RomBootloaders.Count > 0
            && (row.Hardware?.RomBootloader is not { } rom || !target.RomBootloaders.Contains(rom)))
            return false;
        foreach (var (tag, values) in target.Tags)
        {
            if (values.Count > 0 && (!candidate.Tags.TryGetValue(tag, out var value) || !values.Contains(value)))
                return false;
        }
        return true;
    }

    private static PlanExclusion? Exclusion(PlanCandidate candidate, UpdateTarget target, string? rolloutId)
    {
        var row = candidate.Row;
        if (row.RunningVersion is not { } running || row.Hardware is not { } hardware)
            return new(row.DeviceId, "never-seen", "the device has never reported its state");
        if (row.Phase is not (SagaPhase.None or SagaPhase.Completed))
        {
            return row.RolloutId is { } other && other != rolloutId
                ? new(row.DeviceId, "in-rollout", $"its saga belongs to rollout {other}")
                : row.RolloutId is null ? new(row.DeviceId, "busy", $"an update ({row.UpdateId}) is running") : null;
        }
        var report = new DeviceStateReport(running, row.ActiveBank ?? BankId.Bank1, false,
            row.ImageState ?? ImageState.Committed, ResetCause.PowerOn, hardware, 0, null);
        return Preflight.Check(report, target) switch
        {
            PreflightVerdict.UpToDate => new(row.DeviceId, "up-to-date", $"already runs {running}"),
            PreflightVerdict.Refuse r => new(row.DeviceId, "incompatible", r.Reason),
            _ => null,
        };
    }

    private static IReadOnlyList<string> WaveNames(RolloutPolicy policy, int count) =>
        policy.Ramp is not null
            ? Enumerable.Range(1, count).Select(i => $"ramp {i}").ToList()
            : policy.Waves.Select(w => w.Name).ToList();

    /// <summary>
    /// Every gate passing at the earliest moment: each wave takes its devices in rounds of maxInFlight (or its rate
    /// limit, if slower), then its soak; approvals and the device window are not counted.
    /// </summary>
    private static TimeSpan Eta(RolloutPolicy policy, IReadOnlyList<PlannedWave> waves, TimeSpan perDevice)
    {
        var total = TimeSpan.Zero;
        for (var i = 0; i < waves.Count; i++)
        {
            var n = waves[i].DeviceIds.Count;
            if (n == 0) continue;
            var rounds = (int)Math.Ceiling(n / (double)policy.Limits.MaxInFlight);
            var work = perDevice * rounds;
            if (policy.Limits.DevicesPerMinute > 0)
                work = TimeSpan.FromMinutes(Math.Max(work.TotalMinutes, n / (double)policy.Limits.DevicesPerMinute));
            var gate = policy.Ramp is null ? policy.Waves[i].Gate ?? policy.Gate : policy.Gate;
            total += work + gate.Soak;
        }
        return total;
    }
}
