using System.Text.Json;
using FleetOrchestrator.Cli.Output;
using FleetOrchestrator.L072.Agent;
using FleetOrchestrator.Simulation.Runs;

namespace FleetOrchestrator.Cli.Commands.Client.Simulate;

/// <summary>
/// The report of a run against a server, in the shape of `fleet simulate`'s own (the same JSON, HTML page and summary):
/// outcomes from the rollout's devices, invariants from each device's truth against its faults and the server's read
/// model, the rollout from its API. What only the orchestrator's process can count (events persisted, saga step
/// durations) is left at zero: the server's own metrics have it.
/// </summary>
internal static class RemoteSimulationReports
{
    private const string NotStarted = "NotStarted";
    private const string Running = "Running";

    public static bool IsConcluded(string key) => key is not (NotStarted or Running);

    public static int Finished(IReadOnlyDictionary<string, int> outcomes) =>
        outcomes.Where(o => IsConcluded(o.Key)).Sum(o => o.Value);

    public static Dictionary<string, int> Counts(JsonElement outcomes) =>
        outcomes.ValueKind == JsonValueKind.Object
            ? outcomes.EnumerateObject().ToDictionary(p => p.Name,
                p => p.Value.ValueKind == JsonValueKind.Number ? p.Value.GetInt32() : 0, StringComparer.Ordinal)
            : new Dictionary<string, int>(StringComparer.Ordinal);

    public static RolloutReport Planned(string rolloutId, string policyName, JsonElement plan) => new(
        rolloutId, policyName, "Planned", null, EndedAsPolicySays: true, "dry run: nothing commanded", 0, 0,
        PlanWaves(plan).Select(w => new WaveReport(w.Name, NotStarted, w.DeviceIds,
            new Dictionary<string, int> { [NotStarted] = w.DeviceIds.Count }, "not started")).ToList(),
        Excluded(plan), EtaSeconds(plan));

    public static RolloutReport Rollout(string rolloutId, string policyName, string onHalt, JsonElement detail,
        JsonElement plan, IReadOnlyDictionary<string, RemoteDeviceEntry> entries, DateTimeOffset updatesBegan)
    {
        double? Since(JsonElement at) => at.ValueKind == JsonValueKind.String
            ? Math.Round(Math.Max(0, (at.GetDateTimeOffset() - updatesBegan).TotalSeconds), 3)
            : null;
        var planned = PlanWaves(plan);
        var waves = JsonText.Items(JsonText.Member(detail, "waves")).Select((w, i) =>
        {
            var phase = JsonText.Of(w, "phase");
            var ended = Since(JsonText.Member(w, "endedAt"));
            var halted = phase is "Halted" or "RolledBack";
            return new WaveReport(JsonText.Of(w, "name"), phase,
                i < planned.Count ? planned[i].DeviceIds : [], Counts(JsonText.Member(w, "outcomes")),
                JsonText.Of(w, "gateState"), Since(JsonText.Member(w, "startedAt")), ended,
                ended is { } at && (phase == "Passed" || halted)
                    ? [new GateDecisionReport(at, halted ? "halt" : "pass", JsonText.Of(w, "gateState"))]
                    : []);
        }).ToList();
        var status = JsonText.Of(detail, "status");
        var (ended, verdict) = Judge(status, onHalt, waves);
        var haltReason = JsonText.Member(detail, "haltReason") is { ValueKind: JsonValueKind.String } h
            ? h.GetString()
            : null;
        return new RolloutReport(rolloutId, policyName, status, haltReason, ended, verdict, 0, 0, waves,
            Excluded(plan), EtaSeconds(plan));
    }

    /// <summary>
    /// Did the rollout end as its policy says? Completed with every wave passed, or halted the way onHalt asks for
    /// (pause: Halted; rollbackWave/rollbackAll: RolledBack) at a wave whose gate recorded the halt. The in-process run
    /// also checks the halted wave's counts against its gate; the API's counts alone do not say at which moment the
    /// gate decided, so a run against a server trusts the gate's record.
    /// </summary>
    public static (bool Ended, string Verdict) Judge(string status, string onHalt, IReadOnlyList<WaveReport> waves)
    {
        switch (status)
        {
            case "Completed":
                return waves.All(w => w.State == "Passed")
                    ? (true, "completed: every wave passed its gate")
                    : (false, "completed with a wave that did not pass");
            case "Halted" or "RolledBack":
                var expected = string.Equals(onHalt, "pause", StringComparison.OrdinalIgnoreCase)
                    ? "Halted"
                    : "RolledBack";
                if (status != expected) return (false, $"{status} although onHalt {onHalt} calls for {expected}");
                var wave = waves.FirstOrDefault(w => w.State is "Halted" or "RolledBack");
                return wave is null
                    ? (false, $"{status} but no wave records a halt")
                    : (true, $"{status} at wave {wave.Name}: {wave.Gate}");
            default:
                return (false, $"the rollout ended {status}, which this run never asks for");
        }
    }

    public static SimulationReport Build(RemoteSimulationContext c, RolloutReport rollout)
    {
        var cancelling = rollout.State is "RolledBack" or "Cancelled";
        int bricked = 0, downgrades = 0, mismatches = 0, unexpected = 0, unfinished = 0, untouched = 0;
        var outcomes = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var results = new List<DeviceResult>(c.Ids.Count);
        foreach (var id in c.Ids)
        {
            var truth = c.Truths[id];
            c.Entries.TryGetValue(id, out var entry);
            c.Views.TryGetValue(id, out var view);
            if (truth.RunState != DeviceRunState.Running) bricked++;
            if (truth.RunningVersion is { } v && v < c.InitialVersionOf(id)) downgrades++;
            if (c.Entries.Count > 0 && view != truth.RunningVersion?.ToString()) mismatches++;
            string? outcome;
            string expected;
            if (entry is null || entry.Step == "Pending")
            {
                outcome = NotStarted;
                expected = NotStarted;
                if (truth.RunningVersion != c.InitialVersionOf(id)) untouched++;
            }
            else
            {
                outcome = entry.RollbackOutcome is not null ? "Reverted" : entry.Outcome;
                expected = c.Faults[id].CrashLoop ? "RolledBack" : "Updated";
                if (outcome is null) unfinished++;
                else if (outcome != expected && !(cancelling && outcome is "Cancelled" or "RolledBack" or "Reverted"))
                    unexpected++;
            }
            if (outcome is not null) outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            results.Add(new DeviceResult(id, outcome, entry?.Reason, expected, truth.RunningVersion?.ToString(),
                truth.ActiveBank, truth.RunState.ToString(), view, null, [.. c.Faults[id].Names()]));
        }
        var seconds = Math.Max(c.UpdateSeconds, 0.001);
        var concluded = outcomes.Where(o => o.Key != NotStarted).Sum(o => o.Value);
        var options = c.Options;
        return new SimulationReport(
            c.Ids.Count,
            options.Seed,
            options.Faults.ToString(),
            $"the server's ({c.Server})",
            $"the server's ({c.Server})",
            "tcp",
            outcomes,
            unfinished,
            new InvariantCounts(bricked, downgrades, mismatches, unexpected),
            Math.Round(c.UpdateSeconds, 3),
            Math.Round(c.OnlineSeconds, 3),
            Math.Round(c.OnlineSeconds + c.UpdateSeconds, 3),
            System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64,
            c.MemoryPerDevice,
            Math.Round(concluded / seconds, 1),
            0,
            Math.Round(c.MqttMessages / seconds, 1),
            0,
            c.MqttMessages,
            c.Truths.Values.GroupBy(t => t.RunningVersion?.ToString() ?? "none")
                .OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()),
            new Dictionary<string, StepDurations>(),
            results,
            rollout with { NotStartedViolations = untouched });
    }

    private static List<(string Name, IReadOnlyList<string> DeviceIds)> PlanWaves(JsonElement plan) =>
        JsonText.Items(JsonText.Member(plan, "waves")).Select(w => (JsonText.Of(w, "name"),
            (IReadOnlyList<string>)JsonText.Items(JsonText.Member(w, "deviceIds")).Select(d => d.GetString()!)
                .ToList())).ToList();

    private static List<ExcludedDevice> Excluded(JsonElement plan) =>
        JsonText.Items(JsonText.Member(plan, "excluded")).Select(e => new ExcludedDevice(
            JsonText.Of(e, "deviceId"), JsonText.Of(e, "reason"), JsonText.Of(e, "detail"))).ToList();

    private static double EtaSeconds(JsonElement plan) =>
        JsonText.Member(plan, "eta") is { ValueKind: JsonValueKind.String } eta
        && TimeSpan.TryParse(eta.GetString(), System.Globalization.CultureInfo.InvariantCulture, out var t)
            ? Math.Round(t.TotalSeconds, 1)
            : 0;
}
