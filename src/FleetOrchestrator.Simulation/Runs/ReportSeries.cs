using FleetOrchestrator.Orchestration.Devices.Messages;

namespace FleetOrchestrator.Simulation.Runs;

/// <summary>
/// The parts of a report that read it over time or per fault (what the HTML report draws): outcomes over time, from
/// each saga's conclusion time, and each fault's devices by outcome, from the final device results.
/// </summary>
public static class ReportSeries
{
    public const int MaxSamples = 120;

    internal static SimulationReport Add(SimulationReport report, IEnumerable<SagaOutcome> outcomes,
        DateTimeOffset updatesBegan) =>
        Add(report, outcomes.Select(o => (o.At, o.Outcome.ToString())), updatesBegan);

    /// <summary>The series from each concluded device's time and outcome name (a run against a server reads them from
    /// the API).</summary>
    public static SimulationReport Add(SimulationReport report,
        IEnumerable<(DateTimeOffset At, string Outcome)> outcomes, DateTimeOffset updatesBegan)
    {
        ArgumentNullException.ThrowIfNull(report);
        return report with
        {
            OutcomesOverTime = OverTime(outcomes, updatesBegan),
            FaultEffects = Effects(report.DeviceResults),
        };
    }

    public static IReadOnlyList<OutcomeSample> OverTime(IEnumerable<(DateTimeOffset At, string Outcome)> outcomes,
        DateTimeOffset updatesBegan)
    {
        var points = outcomes.Select(o => (Seconds: Math.Max(0, (o.At - updatesBegan).TotalSeconds), o.Outcome))
            .OrderBy(p => p.Seconds).ToList();
        var samples = new List<OutcomeSample> { new(0, new SortedDictionary<string, int>(StringComparer.Ordinal)) };
        if (points.Count == 0) return samples;
        var last = points[^1].Seconds;
        var steps = Math.Min(MaxSamples, points.Count);
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var next = 0;
        for (var k = 1; k <= steps; k++)
        {
            var until = k == steps ? last : last * k / steps;
            while (next < points.Count && points[next].Seconds <= until)
            {
                counts[points[next].Outcome] = counts.GetValueOrDefault(points[next].Outcome) + 1;
                next++;
            }
            samples.Add(new OutcomeSample(Math.Round(until, 3),
                new SortedDictionary<string, int>(counts, StringComparer.Ordinal)));
        }
        return samples;
    }

    public static IReadOnlyDictionary<string, FaultEffect> Effects(IReadOnlyList<DeviceResult> results) =>
        results.SelectMany(r => (r.Faults.Count == 0 ? ["none"] : r.Faults).Select(f => (Fault: f, r.Outcome)))
            .GroupBy(x => x.Fault, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => new FaultEffect(g.Count(),
                g.GroupBy(x => x.Outcome ?? "Unfinished", StringComparer.Ordinal)
                    .OrderBy(o => o.Key, StringComparer.Ordinal)
                    .ToDictionary(o => o.Key, o => o.Count(), StringComparer.Ordinal)), StringComparer.Ordinal);
}
