using System.Text.Json;
using FleetOrchestrator.Cli.Client;
using FleetOrchestrator.Orchestration.Devices.Messages;

namespace FleetOrchestrator.Cli.Tests.Client;

/// <summary>
/// `fleet simulate --server URL` against a real `fleet serve` composition: the simulator registers its devices through
/// the API, uploads the release, starts the rollout, follows it through the API and reports; simulators with disjoint
/// id ranges share one server; one whose range overlaps a running simulator's is refused before it takes a device.
/// </summary>
public sealed class SimulateAgainstServerTests
{
    private const string Policy = """
        { "name": "against a server", "target": { "versions": ["1.0.0"] },
          "waves": [ { "name": "canary", "devices": 1 }, { "percent": 100 } ],
          "gate": { "minSample": 1, "successAtLeast": 1.0, "failuresAtMost": 0, "soak": "00:00:00" },
          "onHalt": "pause" }
        """;

    private static Task<ClientRun> SimulateAsync(ClientTestServer server, params string[] extra) =>
        server.RunAsync(["simulate", "--link", "instant", "--no-delays", "--timeout", "120",
            "--public-key", server.PublicKeyPath, .. extra]);

    private static JsonElement Read(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.Clone();
    }

    [Fact]
    public async Task A_simulator_process_drives_a_staged_rollout_on_a_server_and_reports_it()
    {
        await using var server = await ClientTestServer.StartAsync();
        var policy = Path.Combine(server.Directory, "policy.json");
        await File.WriteAllTextAsync(policy, Policy);
        var reportPath = Path.Combine(server.Directory, "report", "r.json");

        var run = await SimulateAsync(server, "--count", "4", "--rollout", policy, "--report", reportPath);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("result             PASS", run.Out);
        Assert.Contains("rollout            Completed", run.Out);
        var report = Read(reportPath);
        Assert.Equal(4, report.GetProperty("devices").GetInt32());
        Assert.Equal(4, report.GetProperty("outcomes").GetProperty("Updated").GetInt32());
        Assert.Equal(4, report.GetProperty("finalVersions").GetProperty("1.1.0").GetInt32());
        Assert.Equal(0, report.GetProperty("invariants").GetProperty("viewMismatches").GetInt32());
        var rollout = report.GetProperty("rollout");
        Assert.Equal("Completed", rollout.GetProperty("state").GetString());
        Assert.Equal("against a server", rollout.GetProperty("policy").GetString());
        Assert.Equal(["canary", "wave 2"], rollout.GetProperty("waves").EnumerateArray()
            .Select(w => w.GetProperty("name").GetString()));
        Assert.True(File.Exists(Path.ChangeExtension(reportPath, ".html")));
        // The server's own account, through its API: the devices it registered run the release.
        var updated = await server.RunAsync("devices", "list", "--version", "1.1.0", "--json");
        Assert.Equal(4, updated.Json().GetProperty("total").GetInt32());
        var shown = await server.RunAsync("rollout", "watch", rollout.GetProperty("rolloutId").GetString()!);
        Assert.True(shown.ExitCode == 0, shown.ToString());
    }

    [Fact]
    public async Task A_run_against_a_server_on_field_deadlines_brings_its_own_compressed_saga_timing()
    {
        // The field defaults hold every saga 10 minutes in its health window; the run's updatePolicy makes it 1 s.
        await using var server = await ClientTestServer.StartAsync(new UpdatePolicy());
        Assert.Equal(TimeSpan.FromMinutes(10), new UpdatePolicy().HealthWindow);

        var run = await SimulateAsync(server, "--count", "2");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("outcomes           Updated 2", run.Out);
    }

    [Fact]
    public async Task Two_simulators_with_disjoint_id_ranges_share_one_server_each_updating_its_own_devices()
    {
        await using var server = await ClientTestServer.StartAsync();
        var first = Path.Combine(server.Directory, "first.json");
        var second = Path.Combine(server.Directory, "second.json");

        var runs = await Task.WhenAll(
            SimulateAsync(server, "--id-range", "1-3", "--report", first),
            SimulateAsync(server, "--id-range", "4-7", "--report", second));

        Assert.True(runs[0].ExitCode == 0, runs[0].ToString());
        Assert.True(runs[1].ExitCode == 0, runs[1].ToString());
        Assert.Equal(["sim-0001", "sim-0002", "sim-0003"], Read(first).GetProperty("deviceResults")
            .EnumerateArray().Select(d => d.GetProperty("id").GetString()));
        Assert.Equal(["sim-0004", "sim-0005", "sim-0006", "sim-0007"], Read(second).GetProperty("deviceResults")
            .EnumerateArray().Select(d => d.GetProperty("id").GetString()));
        // Failed once in a full suite run (2 of 3 Updated, exit 0; it passed alone): the report says why next time.
        Assert.True(Read(first).GetProperty("outcomes").GetProperty("Updated").GetInt32() == 3,
            $"{runs[0]}\n{Read(first).GetProperty("outcomes")}\n{Read(first).GetProperty("deviceResults")}");
        Assert.True(Read(second).GetProperty("outcomes").GetProperty("Updated").GetInt32() == 4,
            $"{runs[1]}\n{Read(second).GetProperty("outcomes")}\n{Read(second).GetProperty("deviceResults")}");
        var updated = await server.RunAsync("devices", "list", "--version", "1.1.0", "--json");
        Assert.Equal(7, updated.Json().GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_range_overlapping_a_running_simulator_is_refused_and_leaves_its_devices_online()
    {
        await using var server = await ClientTestServer.StartAsync();
        using var stop = new CancellationTokenSource();
        var attached = server.RunAsync(stop.Token, "devices", "simulate", "--id-range", "1-3", "--link", "instant",
            "--no-delays", "--public-key", server.PublicKeyPath);
        await ClientPoll.UntilAsync(() => attached.IsCompleted
                ? throw new InvalidOperationException($"devices simulate ended early: {attached.Result}")
                : server.RunAsync("devices", "list", "--version", "1.0.0", "--json"),
            r => r.ExitCode == 0 && r.Json().GetProperty("total").GetInt32() == 3, "3 attached devices listed");

        var overlapping = await SimulateAsync(server, "--id-range", "3-5");

        Assert.True(overlapping.ExitCode == ExitCodes.UsageOrIoError, overlapping.ToString());
        Assert.Contains("device sim-0003 is registered and online", overlapping.Err);
        Assert.Contains("overlaps", overlapping.Err);
        var online = await server.RunAsync("devices", "list", "--online", "true", "--json");
        Assert.Contains("sim-0003", online.Out);
        Assert.Equal(3, JsonDocument.Parse(online.Out).RootElement.GetProperty("devices").EnumerateArray()
            .Count(d => d.GetProperty("deviceId").GetString() is "sim-0001" or "sim-0002" or "sim-0003"));
        await stop.CancelAsync();
        var stopped = await attached.WaitAsync(ClientPoll.Deadline);
        Assert.Contains("stopping: 3 devices: online 3", stopped.Out);
    }

    [Fact]
    public async Task Range_options_without_a_server_and_in_process_options_with_one_are_usage_errors()
    {
        await using var server = await ClientTestServer.StartAsync();

        var noServer = await ClientRun.Of(server.Environment, ["simulate", "--id-range", "0-9"]);
        var localBroker = await SimulateAsync(server, "--broker", "mosquitto");
        var both = await SimulateAsync(server, "--id-range", "0-9", "--first-id", "3");

        Assert.Equal(ExitCodes.UsageOrIoError, noServer.ExitCode);
        Assert.Contains("--id-range needs --server", noServer.Err);
        Assert.Equal(ExitCodes.UsageOrIoError, localBroker.ExitCode);
        Assert.Contains("--broker belongs to the orchestrator fleet simulate starts itself", localBroker.Err);
        Assert.Equal(ExitCodes.UsageOrIoError, both.ExitCode);
        Assert.Contains("--id-range replaces --first-id and --count", both.Err);
        var list = await server.RunAsync("devices", "list", "--json");
        Assert.Equal(0, list.Json().GetProperty("total").GetInt32());
    }
}
