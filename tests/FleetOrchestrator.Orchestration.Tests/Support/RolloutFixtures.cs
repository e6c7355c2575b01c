using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.Devices.Messages;
using FleetOrchestrator.Orchestration.Rollouts;
using FleetOrchestrator.Orchestration.Rollouts.Messages;
using FleetOrchestrator.Orchestration.Rollouts.Policy;

namespace FleetOrchestrator.Orchestration.Tests.Support;

/// <summary>Test data for rollouts: policies with small gates, waves of devices "d00".., the previous image.</summary>
public static class RolloutFixtures
{
    public const string RolloutId = "r1";
    public static readonly OperatorAction Ops = new("alice", "change 42");
    public static readonly TimeSpan Soak = TimeSpan.FromMinutes(30);

    public static GatePolicy Gate(int minSample = 3, double success = 0.9, double failures = 0.2, TimeSpan? soak = null,
        ApprovalMode approval = ApprovalMode.Auto) =>
        new(minSample, success, failures, soak ?? Soak, approval, GatePolicy.DefaultFailures);

    /// <summary>A policy with one wave spec per planned wave (the first by count, the rest by percent).</summary>
    public static RolloutPolicy Policy(int waves = 3, GatePolicy? gate = null, HaltAction onHalt = HaltAction.Pause,
        int maxInFlight = 100, int devicesPerMinute = 0, bool downloadOnly = false, MaintenanceWindow? window = null)
    {
        var specs = Enumerable.Range(0, waves)
            .Select(i => i == 0
                ? new WaveSpec("canary", 4, null, null)
                : new WaveSpec($"wave {i + 1}", null, 100.0 * i / (waves - 1), null))
            .ToList();
        var everyone = new RolloutTarget([], new Dictionary<string, IReadOnlyList<string>>(), [], [], []);
        return new RolloutPolicy("app 1.1.0", everyone, specs, null,
            gate ?? Gate(), new RolloutLimits(maxInFlight, devicesPerMinute), onHalt, window, downloadOnly);
    }

    /// <summary>Waves of the given sizes over devices d00, d01, ... in order.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Waves(params int[] sizes)
    {
        var waves = new List<IReadOnlyList<string>>();
        var next = 0;
        foreach (var size in sizes)
        {
            waves.Add(Enumerable.Range(next, size).Select(Device).ToList());
            next += size;
        }
        return waves;
    }

    public static string Device(int i) => $"d{i:00}";

    public static UpdateTarget Previous() => Fleet.Target(allowDowngrade: true) with
    {
        ArtifactId = "fw-1.0.0", Version = new SemanticVersion(1, 0, 0), Url = "https://artifacts.example/fw-1.0.0.bin",
    };

    public static StartRollout Start(RolloutPolicy policy, IReadOnlyList<IReadOnlyList<string>> waves,
        bool rollbackTarget = true, string rolloutId = RolloutId) =>
        new(rolloutId, policy, Fleet.Target(), waves, 7, Ops, rollbackTarget ? Previous() : null, Fleet.Policy());

    public static SagaConcluded Concluded(RolloutState state, string deviceId, UpdateOutcome outcome,
        DateTimeOffset at) =>
        new(state.RolloutId, deviceId, state.Devices[deviceId].UpdateId, outcome, outcome.ToString().ToLowerInvariant(),
            at);
}
