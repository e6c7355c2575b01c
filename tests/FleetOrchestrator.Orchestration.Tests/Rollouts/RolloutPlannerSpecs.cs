using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.ReadModel;
using FleetOrchestrator.Orchestration.Rollouts.Planning;
using FleetOrchestrator.Orchestration.Rollouts.Policy;
using FleetOrchestrator.Orchestration.Tests.Support;

namespace FleetOrchestrator.Orchestration.Tests.Rollouts;

/// <summary>The dry run: targeting, every exclusion with its reason, waves from the seed, an ETA.</summary>
public sealed class RolloutPlannerSpecs
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 0, 0, 0, TimeSpan.Zero);

    private static RolloutPolicy Policy(string target) => RolloutPolicyReader.Read($$"""
        { "name": "p", "target": {{target}},
          "waves": [ { "name": "canary", "devices": 2 }, { "percent": 100 } ],
          "gate": { "soak": "00:10:00" }, "limits": { "maxInFlight": 5 } }
        """).Policy ?? throw new InvalidOperationException("bad test policy");

    private static PlanCandidate Device(string id, string? rom = "4.1", Firmware.Versioning.SemanticVersion? running = null,
        string? region = "eu", string? cell = null, SagaPhase phase = SagaPhase.None, string? rolloutId = null) =>
        PlanCandidates.Device(id, rom, running, region, cell, phase, rolloutId);

    [Fact]
    public void Targeted_devices_that_cannot_be_updated_are_listed_with_their_reason()
    {
        PlanCandidate[] fleet =
        [
            Device("ok-1"), Device("ok-2"), Device("ok-3"),
            Device("rom40", rom: "4.0"),
            Device("silent", rom: null),
            Device("done", running: Fleet.New),
            Device("other", phase: SagaPhase.Downloading, rolloutId: "r-other"),
            Device("oneoff", phase: SagaPhase.Downloading),
            Device("us-1", region: "us"),
        ];

        var plan = RolloutPlanner.Plan(Policy("""{ "tags": { "region": ["eu"] }, "deviceIds": [] }"""), fleet, Fleet.Target(),
            seed: 1, perDevice: TimeSpan.FromMinutes(2));

        Assert.Equal(["ok-1", "ok-2", "ok-3"], plan.Waves.SelectMany(w => w.DeviceIds).Order());
        Assert.Equal(["canary", "wave 2"], plan.Waves.Select(w => w.Name));
        Assert.Equal(2, plan.Waves[0].DeviceIds.Count);
        var reasons = plan.Excluded.ToDictionary(e => e.DeviceId, e => e.Reason);
        Assert.Equal("incompatible", reasons["rom40"]);
        Assert.Equal("never-seen", reasons["silent"]);
        Assert.Equal("up-to-date", reasons["done"]);
        Assert.Equal("in-rollout", reasons["other"]);
        Assert.Equal("busy", reasons["oneoff"]);
        Assert.False(reasons.ContainsKey("us-1"));
        Assert.Contains("4.0", plan.Excluded.Single(e => e.DeviceId == "rom40").Detail);
    }

    [Fact]
    public void Explicit_ids_the_fleet_never_saw_are_excluded_and_the_same_seed_plans_the_same_waves()
    {
        var fleet = Enumerable.Range(0, 40).Select(i => Device($"d-{i:D2}", cell: $"c{i % 3}")).ToList();
        var policy = Policy("""{ "deviceIds": ["d-01", "d-02", "d-03", "d-04", "ghost"] }""");

        var first = RolloutPlanner.Plan(policy, fleet, Fleet.Target(), seed: 9, perDevice: TimeSpan.FromMinutes(1));
        var again = RolloutPlanner.Plan(policy, fleet.AsEnumerable().Reverse().ToList(), Fleet.Target(), seed: 9,
            perDevice: TimeSpan.FromMinutes(1));

        Assert.Equal(4, first.DeviceCount);
        Assert.Equal(("ghost", "never-seen"), (first.Excluded.Single().DeviceId, first.Excluded.Single().Reason));
        Assert.Equal(first.Waves.Select(w => string.Join(",", w.DeviceIds)), again.Waves.Select(w => string.Join(",", w.DeviceIds)));
    }

    [Fact]
    public void The_eta_counts_rounds_of_the_in_flight_limit_and_each_waves_soak()
    {
        var fleet = Enumerable.Range(0, 12).Select(i => Device($"d-{i:D2}")).ToList();

        var plan = RolloutPlanner.Plan(Policy("{}"), fleet, Fleet.Target(), seed: 1, perDevice: TimeSpan.FromMinutes(3));

        // canary: 2 devices, 1 round + 10 min soak; wave 2: 10 devices, 2 rounds of 5 + 10 min soak.
        Assert.Equal(TimeSpan.FromMinutes(3 + 10 + 6 + 10), plan.Eta);
    }
}
