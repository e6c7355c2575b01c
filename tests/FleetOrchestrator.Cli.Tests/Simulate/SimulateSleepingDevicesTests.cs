using System.Text.Json;
using System.Text.RegularExpressions;
using FleetOrchestrator.Cli.Tests.Firmware;

namespace FleetOrchestrator.Cli.Tests.Simulate;

/// <summary>
/// `fleet simulate --sleep-when-idle`: devices go offline and disconnect while idle and are paged awake by the
/// orchestrator's commands. With a short idle time they sleep between registration and their update (and often between
/// the saga's steps), so every update goes through at least one page and wake-up, and the run must still converge.
/// </summary>
public sealed partial class SimulateSleepingDevicesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fleet-simulate-sleep-").FullName;

    [Fact]
    public async Task A_fleet_that_sleeps_while_idle_is_paged_awake_and_every_device_updates()
    {
        var report = Path.Combine(_dir, "report.json");
        var run = await CliRun.Of("simulate", "--devices", "120", "--seed", "5", "--no-delays", "--timeout", "240",
            "--sleep-when-idle", "0.2", "--work-dir", _dir, "--report", report, "--faults", "crash-loop=0.05");

        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}\n{run.Out}\n{Tail(run.Err)}");
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(report));
        var root = json.RootElement;
        Assert.Equal(114, root.GetProperty("outcomes").GetProperty("Updated").GetInt32());
        Assert.Equal(6, root.GetProperty("outcomes").GetProperty("RolledBack").GetInt32());
        Assert.Equal(0, root.GetProperty("unfinished").GetInt32());
        var invariants = root.GetProperty("invariants");
        foreach (var name in new[] { "bricked", "accidentalDowngrades", "viewMismatches", "unexpectedOutcomes" })
            Assert.True(invariants.GetProperty(name).GetInt32() == 0, $"{name} = {invariants.GetProperty(name)}");
        var paging = PagingLine().Match(run.Err);
        Assert.True(paging.Success, $"no paging summary in\n{Tail(run.Err)}");
        Assert.True(long.Parse(paging.Groups["wakes"].Value) >= 120, paging.Value);
        Assert.True(long.Parse(paging.Groups["sleeps"].Value) >= 120, paging.Value);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("soon")]
    public async Task A_negative_or_unreadable_idle_time_is_a_usage_error(string value)
    {
        var run = await CliRun.Of("simulate", "--sleep-when-idle", value, "--work-dir", _dir);

        Assert.Equal(ExitCodes.UsageOrIoError, run.ExitCode);
        Assert.Contains("--sleep-when-idle", run.Err, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_dir));
    }

    [GeneratedRegex(@"sleeping devices: (?<pages>\d+) pages, (?<wakes>\d+) wake-ups, (?<sleeps>\d+) sleeps")]
    private static partial Regex PagingLine();

    private static string Tail(string text) => text.Length <= 4000 ? text : text[^4000..];

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
