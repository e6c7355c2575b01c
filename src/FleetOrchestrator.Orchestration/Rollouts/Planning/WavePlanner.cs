using FleetOrchestrator.Orchestration.Rollouts.Policy;

namespace FleetOrchestrator.Orchestration.Rollouts.Planning;

/// <summary>
/// Assigns a rollout's devices to its waves: at random from a recorded seed (the same seed, devices and policy give the
/// same waves, so a dry run shows exactly what the run will do), but spread across network cells in proportion to
/// their size, so that no wave is one cell's whole population and a canary samples every large cell.
/// </summary>
public static class WavePlanner
{
    /// <summary>The device ids of each wave, in wave order; every candidate is in exactly one wave.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Assign(IReadOnlyList<WaveCandidate> candidates,
        RolloutPolicy policy, int seed)
    {
        var ordered = SpreadAcrossCells(candidates, seed);
        var ends = CumulativeSizes(policy, ordered.Count);
        var waves = new List<IReadOnlyList<string>>(ends.Count);
        var start = 0;
        foreach (var end in ends)
        {
            waves.Add(ordered.Skip(start).Take(end - start).ToList());
            start = end;
        }
        return waves;
    }

    /// <summary>
    /// Where each wave ends in the ordered target (cumulative device counts): a wave by count takes that many (at most
    /// what is left), a wave by percent reaches ceil(percent of the target); a ramp starts at
    /// <see cref="RampSpec.Start"/>
    /// percent and grows by <see cref="RampSpec.Factor"/> up to 100. The last wave always reaches the whole target.
    /// </summary>
    public static IReadOnlyList<int> CumulativeSizes(RolloutPolicy policy, int total)
    {
        var ends = new List<int>();
        var reached = 0;
        if (policy.Ramp is { } ramp)
        {
            for (var percent = ramp.Start; ; percent *= ramp.Factor)
            {
                reached = Math.Max(reached, Share(Math.Min(percent, 100), total));
                ends.Add(reached);
                if (percent >= 100) break;
            }
        }
        else
        {
            foreach (var wave in policy.Waves)
            {
                reached = wave.Devices is { } count
                    ? Math.Min(total, reached + count)
                    : Math.Max(reached, Share(wave.Percent!.Value, total));
                ends.Add(reached);
            }
        }
        if (ends.Count > 0) ends[^1] = total;
        return ends;
    }

    /// <summary>
    /// A seeded shuffle within each cell, then the cells interleaved by each device's relative position in its cell
    /// ((rank + 0.5) / cell size): any prefix of the result holds about the same share of every cell.
    /// </summary>
    public static IReadOnlyList<string> SpreadAcrossCells(IReadOnlyList<WaveCandidate> candidates, int seed)
    {
        var random = new Random(seed);
        var keyed = new List<(double Position, double TieBreak, string DeviceId)>(candidates.Count);
        var cells = candidates.GroupBy(c => c.Cell ?? "", StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal);
        foreach (var cell in cells)
        {
            var members = cell.Select(c => c.DeviceId).Order(StringComparer.Ordinal).ToArray();
            random.Shuffle(members);
            for (var rank = 0; rank < members.Length; rank++)
                keyed.Add(((rank + 0.5) / members.Length, random.NextDouble(), members[rank]));
        }
        return keyed.OrderBy(k => k.Position).ThenBy(k => k.TieBreak).Select(k => k.DeviceId).ToList();
    }

    private static int Share(double percent, int total) =>
        (int)Math.Min(total, Math.Ceiling(percent / 100.0 * total - 1e-9));
}
