using System.Text.Json;

using FleetOrchestrator.Cli.Tests.Firmware;

namespace FleetOrchestrator.Cli.Tests.Simulate;

/// <summary>
/// `fleet simulate --measure-recovery`: after the run a new orchestrator starts on the same database and every saga
/// is asked; the report says how long that took and whether every saga came back as it was.
/// </summary>
public sealed class SimulateRecoveryTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fleet-simulate-recovery-").FullName;

    [Fact]
    public async Task Every_saga_recovers_from_the_journal_after_the_restart_and_reports_what_it_reported_before()
    {
        var report = Path.Combine(_dir, "report.json");
        var run = await CliRun.Of("simulate", "--devices", "60", "--seed", "7", "--no-delays", "--timeout", "240",
            "--work-dir", _dir, "--report", report, "--faults", "crash-loop=0.1", "--measure-recovery");

        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}\n{run.Out}\n{run.Err[^Math.Min(4000, run.Err.Length)..]}");
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(report));
        var recovery = json.RootElement.GetProperty("recovery");
        Assert.Equal(60, recovery.GetProperty("sagas").GetInt32());
        Assert.Equal(0, recovery.GetProperty("unanswered").GetInt32());
        Assert.Equal(0, recovery.GetProperty("changed").GetInt32());
        Assert.True(recovery.GetProperty("restartSeconds").GetDouble() > 0);
        Assert.True(recovery.GetProperty("sagasPerSecond").GetDouble() > 0);
        Assert.Contains("sagas recovered from the journal", run.Err, StringComparison.Ordinal);
        // Rolled-back devices recovered as rolled back: the comparison covers both outcomes.
        Assert.True(json.RootElement.GetProperty("outcomes").GetProperty("RolledBack").GetInt32() > 0);
    }

    [Fact]
    public async Task Measuring_recovery_is_refused_against_a_server_it_did_not_start()
    {
        var run = await CliRun.Of("simulate", "--server", "http://127.0.0.1:9", "--api-key", "k",
            "--measure-recovery", "--devices", "1");

        Assert.Equal(ExitCodes.UsageOrIoError, run.ExitCode);
        Assert.Contains("--measure-recovery", run.Err, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
