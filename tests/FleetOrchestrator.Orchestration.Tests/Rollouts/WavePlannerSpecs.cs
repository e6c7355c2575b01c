using FleetOrchestrator.Orchestration.Rollouts.Planning;
using FleetOrchestrator.Orchestration.Rollouts.Policy;

namespace FleetOrchestrator.Orchestration.Tests.Rollouts;

/// <summary>Wave membership: sizes as the policy says, reproducible from the seed, spread across network cells.</summary>
public sealed class WavePlannerSpecs
{
    private static RolloutPolicy Policy(string wavesJson, string extra = "") => RolloutPolicyReader.Read(
        $$"""{ "name": "t", "target": {}, {{wavesJson}} {{extra}} }""").Policy ?? throw new InvalidOperationException("bad test policy");

    private static List<WaveCandidate> Fleet(int devices, int cells) =>
        Enumerable.Range(0, devices).Select(i => new WaveCandidate($"dev-{i:D5}", $"cell-{i % cells}")).ToList();

    [Fact]
    public void A_canary_by_count_then_cumulative_percentages_of_the_target()
    {
        var policy = Policy("""
            "waves": [ { "name": "canary", "devices": 10 }, { "percent": 10 }, { "percent": 100 } ]
            """);

        var waves = WavePlanner.Assign(Fleet(1000, 7), policy, seed: 42);

        Assert.Equal([10, 90, 900], waves.Select(w => w.Count));
        Assert.Equal(1000, waves.SelectMany(w => w).Distinct().Count());
    }

    [Fact]
    public void An_exponential_ramp_grows_by_its_factor_until_the_whole_target()
    {
        var policy = Policy("""
            "ramp": { "start": 1, "factor": 4 }
            """);

        Assert.Equal([10, 40, 160, 640, 1000], WavePlanner.CumulativeSizes(policy, 1000));
        Assert.Equal([1, 1, 2, 7, 10], WavePlanner.CumulativeSizes(policy, 10));
    }

    [Fact]
    public void The_same_seed_gives_the_same_waves_whatever_the_input_order_and_another_seed_other_waves()
    {
        var policy = Policy("""
            "waves": [ { "devices": 5 }, { "percent": 50 }, { "percent": 100 } ]
            """);
        var fleet = Fleet(300, 4);
        var shuffled = fleet.AsEnumerable().Reverse().ToList();

        var first = WavePlanner.Assign(fleet, policy, seed: 7);
        var again = WavePlanner.Assign(shuffled, policy, seed: 7);
        var other = WavePlanner.Assign(fleet, policy, seed: 8);

        Assert.Equal(first.Select(w => string.Join(",", w)), again.Select(w => string.Join(",", w)));
        Assert.NotEqual(first[0], other[0]);
    }

    [Fact]
    public void Every_wave_takes_each_cell_in_proportion_and_no_wave_is_a_whole_cell()
    {
        // One big cell, two medium, one of two devices: the canary samples the large cells, and each wave holds about
        // its share of each cell (at most one device off).
        var fleet = Enumerable.Range(0, 600).Select(i => new WaveCandidate($"a-{i:D3}", "big"))
            .Concat(Enumerable.Range(0, 200).Select(i => new WaveCandidate($"b-{i:D3}", "mid-1")))
            .Concat(Enumerable.Range(0, 198).Select(i => new WaveCandidate($"c-{i:D3}", "mid-2")))
            .Concat([new WaveCandidate("d-0", "tiny"), new WaveCandidate("d-1", "tiny")]).ToList();
        var policy = Policy("""
            "waves": [ { "devices": 10 }, { "percent": 10 }, { "percent": 50 }, { "percent": 100 } ]
            """);
        var cellOf = fleet.ToDictionary(c => c.DeviceId, c => c.Cell!);

        var waves = WavePlanner.Assign(fleet, policy, seed: 1);

        foreach (var wave in waves)
        {
            foreach (var cell in new[] { "big", "mid-1", "mid-2" })
            {
                var expected = wave.Count * fleet.Count(c => c.Cell == cell) / (double)fleet.Count;
                var actual = wave.Count(id => cellOf[id] == cell);
                Assert.InRange(actual, Math.Floor(expected) - 1, Math.Ceiling(expected) + 1);
            }
        }
        int WaveOf(string id) => waves.Select((w, i) => (w, i)).Single(x => x.w.Contains(id)).i;
        Assert.NotEqual(WaveOf("d-0"), WaveOf("d-1"));
        Assert.Contains(waves[0], id => cellOf[id] == "big");
    }

    [Fact]
    public void A_target_smaller_than_the_canary_puts_everything_in_the_canary_and_leaves_later_waves_empty()
    {
        var policy = Policy("""
            "waves": [ { "devices": 10 }, { "percent": 100 } ]
            """);

        var waves = WavePlanner.Assign(Fleet(4, 2), policy, seed: 3);

        Assert.Equal([4, 0], waves.Select(w => w.Count));
    }
}
