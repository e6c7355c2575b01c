using System.Collections.Concurrent;
using FleetOrchestrator.Orchestration.Rollouts.Policy;
using FleetOrchestrator.Simulation.Runs;

namespace FleetOrchestrator.Cli.Tests.Simulate;

/// <summary>
/// With <see cref="SimulationOptions.Live"/> set (what `fleet simulate` does on a terminal), the runner reports its
/// periodic progress as data, rollout waves included, and prints only the other lines.
/// </summary>
public sealed class SimulateLiveProgressTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fleet-simulate-live-test-").FullName;

    private sealed class Collect : IProgress<SimulationProgress>
    {
        public ConcurrentQueue<SimulationProgress> Reports { get; } = new();
        public void Report(SimulationProgress value) => Reports.Enqueue(value);
    }

    [Fact]
    public async Task A_rollout_run_reports_each_wave_to_the_live_display_instead_of_printing_progress_lines()
    {
        var text = await File.ReadAllTextAsync(RolloutPolicy("simulate-canary.json"));
        var policy = RolloutPolicyReader.Read(text).Policy!;
        var live = new Collect();
        using var lines = new StringWriter();
        var options = new SimulationOptions
        {
            Devices = 10,
            Speedup = double.PositiveInfinity,
            Timeout = TimeSpan.FromSeconds(120),
            WorkDirectory = _dir,
            Progress = TextWriter.Synchronized(lines),
            ProgressInterval = TimeSpan.FromMilliseconds(50),
            Live = live,
            Rollout = policy,
        };

        var logs = Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance;
        var report = await new FleetRunner(options, logs)
            .RunAsync(CancellationToken.None);

        Assert.True(report.Passed, lines.ToString());
        Assert.NotEmpty(live.Reports);
        var last = live.Reports.Last();
        Assert.Equal("Completed", last.RolloutStatus);
        Assert.Equal(policy.Waves.Count, last.Waves.Count);
        Assert.Equal(10, last.Waves.Sum(w => w.Finished));
        Assert.Equal(10, last.Outcomes["Updated"]);
        var printed = lines.ToString();
        Assert.Contains("-> Passed", printed); // wave transitions still printed
        Assert.DoesNotContain("| in flight", printed); // the periodic line went to the live display
    }

    private static string RolloutPolicy(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FleetOrchestrator.sln")))
                return Path.Combine(dir.FullName, "config", "rollouts", name);
        }
        throw new DirectoryNotFoundException("no repository root (FleetOrchestrator.sln) above the test binaries");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
