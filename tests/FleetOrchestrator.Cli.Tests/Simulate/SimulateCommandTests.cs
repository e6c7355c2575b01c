using System.Text.Json;
using FleetOrchestrator.Cli.Tests.Firmware;

namespace FleetOrchestrator.Cli.Tests.Simulate;

/// <summary>
/// `fleet simulate` end to end, in-process: an orchestrator (embedded broker, SQLite, HTTP artifact server) and a few
/// hundred simulated devices over real MQTT connections and real HTTP range downloads, with faults.
/// </summary>
public sealed class SimulateCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fleet-simulate-test-").FullName;

    [Fact]
    public async Task A_faulty_fleet_converges_with_rollbacks_exactly_where_the_faults_put_them()
    {
        var report = Path.Combine(_dir, "report.json");
        var run = await CliRun.Of("simulate", "--devices", "300", "--seed", "7", "--no-delays", "--timeout", "240",
            "--work-dir", _dir, "--report", report,
            "--faults", "crash-loop=0.05,corrupt-transfer=0.1,offline-during-swap=0.05,duplicate-messages=0.2,orchestrator-restart");

        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}\n{run.Out}\n{Tail(run.Err)}");
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(report));
        var root = json.RootElement;
        Assert.Equal(300, root.GetProperty("devices").GetInt32());
        var outcomes = root.GetProperty("outcomes");
        // crash-loop=0.05 of 300 devices is exactly 15: they get a 1.1.0 build that crash-loops and must come back.
        Assert.Equal(15, outcomes.GetProperty("RolledBack").GetInt32());
        Assert.Equal(285, outcomes.GetProperty("Updated").GetInt32());
        Assert.Equal(2, outcomes.EnumerateObject().Count());
        Assert.Equal(0, root.GetProperty("unfinished").GetInt32());
        var invariants = root.GetProperty("invariants");
        foreach (var name in new[] { "bricked", "accidentalDowngrades", "viewMismatches", "unexpectedOutcomes" })
            Assert.True(invariants.GetProperty(name).GetInt32() == 0, $"{name} = {invariants.GetProperty(name)}");
        var versions = root.GetProperty("finalVersions");
        Assert.Equal(285, versions.GetProperty("1.1.0").GetInt32());
        Assert.Equal(15, versions.GetProperty("1.0.0").GetInt32());
        foreach (var field in new[] { "wallSeconds", "onlineSeconds", "totalSeconds", "peakMemoryBytes", "devicesPerSecond", "eventsPersistedPerSecond", "mqttMessagesPerSecond" })
            Assert.True(root.GetProperty(field).GetDouble() > 0, $"{field} should be measured");
        Assert.Equal("inprocess", root.GetProperty("deviceLink").GetString());
    }

    [Fact]
    public async Task Devices_can_reach_the_orchestrator_over_loopback_tcp_instead_of_in_process_pipes()
    {
        var report = Path.Combine(_dir, "report.json");
        var run = await CliRun.Of("simulate", "--devices", "40", "--no-delays", "--timeout", "120", "--device-link", "tcp",
            "--work-dir", _dir, "--report", report, "--faults", "crash-loop=0.1");

        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}\n{run.Out}\n{Tail(run.Err)}");
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(report));
        var root = json.RootElement;
        Assert.Equal("tcp", root.GetProperty("deviceLink").GetString());
        Assert.Equal(36, root.GetProperty("outcomes").GetProperty("Updated").GetInt32());
        Assert.Equal(4, root.GetProperty("outcomes").GetProperty("RolledBack").GetInt32());
    }

    [Theory]
    [InlineData("--faults", "crash-loop=2", "share")]
    [InlineData("--faults", "power-surge=0.1", "unknown fault")]
    [InlineData("--devices", "0", "--devices")]
    [InlineData("--store", "mysql://x", "--store")]
    [InlineData("--broker", "http://localhost", "--broker")]
    [InlineData("--link", "carrier-pigeon", "link")]
    [InlineData("--device-link", "udp", "--device-link must be inprocess or tcp")]
    public async Task Bad_options_are_usage_errors_that_say_what_is_wrong(string option, string value, string expected)
    {
        var run = await CliRun.Of("simulate", option, value, "--work-dir", _dir);

        Assert.Equal(ExitCodes.UsageOrIoError, run.ExitCode);
        Assert.Contains(expected, run.Err, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_dir));
    }

    private static string Tail(string text) => text.Length <= 4000 ? text : text[^4000..];

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
