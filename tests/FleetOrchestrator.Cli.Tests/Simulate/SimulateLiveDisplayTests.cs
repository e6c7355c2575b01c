using FleetOrchestrator.Cli.Client;
using FleetOrchestrator.Cli.Output;
using FleetOrchestrator.Simulation.Runs;

namespace FleetOrchestrator.Cli.Tests.Simulate;

/// <summary>
/// What `fleet simulate`'s live display shows on a terminal: the run's recent lines, a row per rollout wave with its
/// bar, counts and gate state, and the totals line with outcomes, in flight, throughput and memory.
/// </summary>
public sealed class SimulateLiveDisplayTests
{
    [Fact]
    public void The_display_shows_recent_lines_each_wave_and_the_totals()
    {
        using var display = new SimulateLiveDisplay(ClientOutput.Create(TextWriter.Null, terminal: false));
        for (var i = 1; i <= 12; i++) display.WriteLine($"line {i}");
        display.Report(new SimulationProgress(12.5, 100, 30, new Dictionary<string, int> { ["Updated"] = 29,
            ["RolledBack"] = 1 },
            5, 2.4, 300, "Running",
            [
                new SimulationWaveProgress("canary", "Passed", 10, 10, new Dictionary<string, int> { ["Updated"] = 10 },
                    "passed"),
                new SimulationWaveProgress("rest", "Running", 90, 20,
                    new Dictionary<string, int> { ["Updated"] = 19, ["RolledBack"] = 1, ["Running"] = 5 },
                        "waiting for devices"),
            ]));
        using var text = new StringWriter();
        var console = ClientOutput.Create(text, terminal: false);

        console.Write(display.Render());

        var shown = text.ToString();
        Assert.DoesNotContain("line 2" + Environment.NewLine, shown); // only the 10 most recent lines
        Assert.Contains("line 12", shown);
        Assert.Contains("rollout Running", shown);
        Assert.Matches(@"canary\s+│\s+Passed\s+│\s+##########\s+│\s+10/10", shown);
        Assert.Matches(@"rest\s+│\s+Running\s+│\s+##\.{8}\s+│\s+20/90\s+│\s+" +
                       @"Updated 19, RolledBack 1, Running 5\s+│\s+waiting for devices", shown);
        Assert.Contains("30/100 done (RolledBack 1, Updated 29) | in flight 5 | 2 dev/s | 300 MB", shown);
    }
}
