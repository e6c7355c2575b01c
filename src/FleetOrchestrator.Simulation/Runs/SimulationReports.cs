using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.L072.Agent;
using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.Devices.Messages;
using FleetOrchestrator.Simulation.Faults;
using FleetOrchestrator.Simulation.Fleet;

namespace FleetOrchestrator.Simulation.Runs;

/// <summary>Turns what a run observed into its report: outcomes, invariants against device truth, rates, step durations.</summary>
internal static class SimulationReports
{
    /// <summary>What the orchestrator's view says the device runs: version and active bank (null: not known).</summary>
    public static (SemanticVersion? Version, int? Bank) ViewedImage(DeviceSagaView? view) =>
        (view?.Running?.Version, view?.Running is { } running ? (int)running.ActiveBank : null);

    public static SimulationReport Build(
        SimulationOptions options,
        IReadOnlyList<string> ids,
        IReadOnlyDictionary<string, DeviceFaults> faults,
        IReadOnlyDictionary<string, SagaOutcome> outcomes,
        IReadOnlyDictionary<string, DeviceSagaView?> views,
        SimulatedFleet fleet,
        double updateSeconds,
        double onlineSeconds,
        long memoryPerDevice,
        Func<string, SemanticVersion> initialVersionOf,
        SemanticVersion targetVersion)
    {
        var truth = fleet.Truth();
        int bricked = 0, downgrades = 0, mismatches = 0, unexpected = 0;
        var results = new List<DeviceResult>(ids.Count);
        foreach (var id in ids)
        {
            var t = truth[id];
            views.TryGetValue(id, out var view);
            outcomes.TryGetValue(id, out var outcome);
            if (t.RunState != DeviceRunState.Running) bricked++;
            if (t.RunningVersion is { } v && v < initialVersionOf(id)) downgrades++;
            var (viewVersion, viewBank) = ViewedImage(view);
            if (viewVersion != t.RunningVersion || viewBank != t.ActiveBank) mismatches++;
            var expected = initialVersionOf(id) >= targetVersion ? UpdateOutcome.UpToDate
                : faults[id].CrashLoop ? UpdateOutcome.RolledBack : UpdateOutcome.Updated;
            if (outcome is not null && outcome.Outcome != expected) unexpected++;
            results.Add(new DeviceResult(id, outcome?.Outcome.ToString(), outcome?.Reason, expected.ToString(), t.RunningVersion?.ToString(),
                t.ActiveBank, t.RunState.ToString(), viewVersion?.ToString(), viewBank, [.. faults[id].Names()]));
        }

        var events = views.Values.Sum(v => v?.EventCount ?? 0);
        var mqtt = fleet.Devices.Sum(d => d.Counters.Published + d.Counters.CommandsReceived);
        var seconds = Math.Max(updateSeconds, 0.001);
        return new SimulationReport(
            ids.Count,
            options.Seed,
            options.Faults.ToString(),
            options.Broker?.ToString() ?? "embedded",
            options.Store?.Display ?? "sqlite",
            options.DeviceLink.Name(),
            outcomes.Values.GroupBy(o => o.Outcome.ToString()).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()),
            ids.Count - outcomes.Count,
            new InvariantCounts(bricked, downgrades, mismatches, unexpected),
            Math.Round(updateSeconds, 3),
            Math.Round(onlineSeconds, 3),
            Math.Round(onlineSeconds + updateSeconds, 3),
            System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64,
            memoryPerDevice,
            Math.Round(outcomes.Count / seconds, 1),
            Math.Round(events / seconds, 1),
            Math.Round(mqtt / seconds, 1),
            events,
            mqtt,
            truth.Values.GroupBy(t => t.RunningVersion?.ToString() ?? "none").OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()),
            StepDurations(views.Values),
            results);
    }

    /// <summary>Time spent in each saga phase (from entering it to the next transition), in milliseconds.</summary>
    private static IReadOnlyDictionary<string, StepDurations> StepDurations(IEnumerable<DeviceSagaView?> views)
    {
        var byPhase = new Dictionary<SagaPhase, List<double>>();
        foreach (var history in views.Select(v => v?.Saga?.History).OfType<System.Collections.Immutable.ImmutableList<SagaTransition>>())
        {
            for (var i = 0; i + 1 < history.Count; i++)
            {
                if (!byPhase.TryGetValue(history[i].Phase, out var list)) byPhase[history[i].Phase] = list = [];
                list.Add((history[i + 1].At - history[i].At).TotalMilliseconds);
            }
        }
        return byPhase.OrderBy(p => p.Key).ToDictionary(p => p.Key.ToString(), p =>
        {
            var sorted = p.Value.Order().ToArray();
            double At(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
            return new StepDurations(sorted.Length, Math.Round(At(0.5), 1), Math.Round(At(0.9), 1), Math.Round(At(0.99), 1), Math.Round(sorted[^1], 1));
        });
    }
}
