using System.Xml.Linq;
using static FleetOrchestrator.Simulation.Runs.Html.Html;

namespace FleetOrchestrator.Simulation.Runs.Html;

/// <summary>
/// The report of a `fleet simulate` run as one self-contained HTML page (written beside the JSON report): inline CSS
/// and SVG drawn here, no script, nothing fetched. It draws only what the JSON report holds: the verdict and the
/// invariants, outcomes over time, the rollout's waves on a timeline with their gate decisions, step duration
/// percentiles, and each injected fault with what became of its devices.
/// </summary>
public static class SimulationHtmlReport
{
    private const string Style = """
        body { font: 14px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 1100px; color: #212121; }
        h1 { font-size: 1.6em; margin-bottom: .2em; }
        h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #e0e0e0; }
        table { border-collapse: collapse; margin: .6em 0; }
        th, td { border: 1px solid #e0e0e0; padding: .25em .6em; text-align: left; vertical-align: top; }
        th { background: #f5f5f5; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; }
        .pass { color: #2e7d32; font-weight: 600; }
        .fail { color: #c62828; font-weight: 600; }
        .muted { color: #757575; }
        .swatch { display: inline-block; width: .8em; height: .8em; margin-right: .3em; border-radius: 2px; }
        svg text { font: 11px system-ui, sans-serif; fill: #424242; }
        """;

    /// <summary>Where the page goes beside the JSON report: <c>r.json</c> → <c>r.html</c>.</summary>
    public static string PathBeside(string jsonReportPath)
    {
        var html = Path.ChangeExtension(jsonReportPath, ".html");
        return string.Equals(html, jsonReportPath, StringComparison.OrdinalIgnoreCase)
            ? jsonReportPath + ".html"
            : html;
    }

    public static string Render(SimulationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var html = E("html", A("lang", "en"),
            E("head",
                E("meta", A("charset", "utf-8")),
                E("title", $"fleet simulate: {report.Devices} devices, {(report.Passed ? "PASS" : "FAIL")}"),
                E("style", Style)),
            E("body",
                Header(report),
                Invariants(report),
                Outcomes(report),
                report.Rollout is { } rollout ? Rollout(rollout) : null,
                Steps(report),
                Faults(report),
                Versions(report)));
        return "<!DOCTYPE html>\n" + html.ToString(SaveOptions.None) + "\n";
    }

    private static IEnumerable<XElement> Header(SimulationReport r) =>
    [
        E("h1", "fleet simulate: ", E("span", A("class", r.Passed ? "pass" : "fail"), r.Passed ? "PASS" : "FAIL")),
        E("p", A("class", "muted"),
            $"{r.Devices} devices, seed {r.Seed}, faults {(r.Faults.Length == 0 ? "none" : r.Faults)}, broker "
            + $"{r.Broker}, store {r.Store}, device link {r.DeviceLink}"),
        Table(["online", "updates", "total", "devices/s", "events persisted/s", "MQTT messages/s", "peak memory"],
        [[
            $"{Num(r.OnlineSeconds)} s", $"{Num(r.WallSeconds)} s", $"{Num(r.TotalSeconds)} s",
            Num(r.DevicesPerSecond), Num(r.EventsPersistedPerSecond), Num(r.MqttMessagesPerSecond),
            $"{r.PeakMemoryBytes / (1024 * 1024)} MB",
        ]]),
    ];

    private static IEnumerable<XElement> Invariants(SimulationReport r)
    {
        var rows = new List<(string Name, string Value, bool Holds, string Meaning)>
        {
            ("bricked", r.Invariants.Bricked.ToString(), r.Invariants.Bricked == 0,
                "devices left without a bootable image"),
            ("accidentalDowngrades", r.Invariants.AccidentalDowngrades.ToString(),
                r.Invariants.AccidentalDowngrades == 0,
                "devices running an older version than they started with"),
            ("viewMismatches", r.Invariants.ViewMismatches.ToString(), r.Invariants.ViewMismatches == 0,
                "devices the orchestrator sees on another version or bank than they run"),
            ("unexpectedOutcomes", r.Invariants.UnexpectedOutcomes.ToString(), r.Invariants.UnexpectedOutcomes == 0,
                "devices whose outcome is not the one their faults call for"),
            ("unfinished", r.Unfinished.ToString(), r.Unfinished == 0, "devices commanded and never concluded"),
        };
        if (r.Rollout is { } rollout)
        {
            rows.Add(("notStartedViolations", rollout.NotStartedViolations.ToString(),
                rollout.NotStartedViolations == 0,
                "devices the rollout never commanded that changed anyway"));
            rows.Add(("notRestored", rollout.NotRestored.ToString(), rollout.NotRestored == 0,
                "devices of a rolled-back wave not back on their old version"));
            rows.Add(("endedAsPolicySays", rollout.EndedAsPolicySays ? "yes" : "no", rollout.EndedAsPolicySays,
                rollout.Verdict));
        }
        return
        [
            E("h2", "Invariants"),
            Table(["invariant", "value", "holds", "meaning"], rows.Select(x => new object?[]
            {
                E("td", E("code", x.Name)), E("td", A("class", "num"), x.Value),
                E("td", A("class", x.Holds ? "pass" : "fail"), x.Holds ? "✓ holds" : "✗ violated"), x.Meaning,
            })),
        ];
    }

    private static IEnumerable<XElement> Outcomes(SimulationReport r) =>
    [
        E("h2", "Outcomes"),
        Table(["outcome", "devices"], r.Outcomes.Select(o => new object?[]
        {
            E("td", Swatch(o.Key), o.Key), E("td", A("class", "num"), o.Value),
        })),
        E("h3", "Outcomes over time"),
        r.OutcomesOverTime is { Count: > 1 } series
            ? Charts.Cumulative(series)
            : E("p", A("class", "muted"), "no saga concluded"),
    ];

    private static IEnumerable<XElement> Rollout(RolloutReport rollout) =>
    [
        E("h2", $"Rollout {rollout.RolloutId}: {rollout.Policy}"),
        E("p", "State ", E("strong", rollout.State), ": ", rollout.Verdict,
            rollout.HaltReason is { } why ? E("span", A("class", "muted"), $" (halt: {why})") : null),
        Charts.WaveTimeline(rollout.Waves),
        Table(["wave", "devices", "state", "outcomes", "gate", "began", "ended", "gate decision"],
            rollout.Waves.Select(w => new object?[]
            {
                E("td", Swatch(w.State), w.Name), E("td", A("class", "num"), w.DeviceIds.Count), w.State,
                string.Join(", ", w.Outcomes.Select(o => $"{o.Key} {o.Value}")), w.Gate,
                w.StartedAtSeconds is { } s ? $"{Num(s)} s" : "–", w.EndedAtSeconds is { } e ? $"{Num(e)} s" : "–",
                string.Join("; ", (w.Decisions ?? []).Select(d => $"{d.Decision} at {Num(d.AtSeconds)} s: {d.Detail}")),
            })),
        rollout.Excluded.Count == 0
            ? E("p", A("class", "muted"), "No targeted device was excluded by the plan.")
            : E("div", E("h3", $"Excluded by the plan: {rollout.Excluded.Count}"),
                Table(["reason", "devices", "example"], rollout.Excluded.GroupBy(x => x.Reason)
                    .Select(g => new object?[] { g.Key, E("td", A("class", "num"), g.Count()), g.First().Detail }))),
    ];

    private static IEnumerable<XElement> Steps(SimulationReport r) =>
    [
        E("h2", "Step durations"),
        E("p", A("class", "muted"), "Time in each saga phase, from entering it to the next transition (ms)."),
        Table(["phase", "count", "p50", "p90", "p99", "max"], r.StepDurationsMs.Select(s => new object?[]
        {
            s.Key, E("td", A("class", "num"), s.Value.Count), E("td", A("class", "num"), Num(s.Value.P50)),
            E("td", A("class", "num"), Num(s.Value.P90)), E("td", A("class", "num"), Num(s.Value.P99)),
            E("td", A("class", "num"), Num(s.Value.Max)),
        })),
        r.StepDurationsMs.Count > 0 ? Charts.Percentiles(r.StepDurationsMs) : null!,
    ];

    private static IEnumerable<XElement> Faults(SimulationReport r) =>
    [
        E("h2", "Faults injected and their effect"),
        E("p", A("class", "muted"), $"Fault plan: {(r.Faults.Length == 0 ? "none" : r.Faults)}."),
        Table(["fault", "devices", "outcomes"], (r.FaultEffects ?? new Dictionary<string, FaultEffect>())
            .Select(f => new object?[]
            {
                E("td", E("code", f.Key)), E("td", A("class", "num"), f.Value.Devices),
                E("td", f.Value.Outcomes.Select(o => E("span", Swatch(o.Key), $"{o.Key} {o.Value} "))),
            })),
    ];

    private static IEnumerable<XElement> Versions(SimulationReport r) =>
    [
        E("h2", "Final versions"),
        Table(["version", "devices"], r.FinalVersions.Select(v => new object?[]
        {
            v.Key, E("td", A("class", "num"), v.Value),
        })),
    ];

    private static XElement Swatch(string key) =>
        E("span", A("class", "swatch"), A("style", $"background:{OutcomeColors.Of(key)}"));
}
