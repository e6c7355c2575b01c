using System.Text.RegularExpressions;
using FleetOrchestrator.Cli.Client;

namespace FleetOrchestrator.Cli.Tests.Client;

/// <summary>
/// `fleet devices simulate` attaches simulated devices to a real server over its TCP MQTT and HTTP ports; a rollout
/// started with `fleet rollout start` updates them, and `fleet rollout watch` exits 0 when it completes and 1 when a
/// gate halts it.
/// </summary>
public sealed class DevicesSimulateRolloutTests
{
    private static readonly TimeSpan Deadline = ClientPoll.Deadline;

    private const string Policy = """
        { "name": "cli e2e", "target": { "versions": ["1.0.0"] },
          "waves": [ { "name": "canary", "devices": 1 }, { "percent": 100 } ],
          "gate": { "minSample": 1, "successAtLeast": 1.0, "failuresAtMost": 0, "soak": "00:00:00" },
          "onHalt": "pause" }
        """;

    private static Task<ClientRun> SimulateAsync(ClientTestServer server, CancellationToken stop,
        params string[] extra) =>
        server.RunAsync(stop, ["devices", "simulate", "--link", "instant", "--no-delays",
            "--public-key", server.PublicKeyPath, .. extra]);

    private static Task WaitForFleetAsync(ClientTestServer server, Task<ClientRun> simulate, int count) =>
        ClientPoll.UntilAsync(() => simulate.IsCompleted
                ? throw new InvalidOperationException($"devices simulate ended early: {simulate.Result}")
                : server.RunAsync("devices", "list", "--version", "1.0.0", "--json"),
            r => r.ExitCode == 0 && r.Json().GetProperty("total").GetInt32() == count,
                $"{count} simulated devices listed");

    private static async Task<string> UploadAsync(ClientTestServer server, string version)
    {
        var upload = await server.RunAsync("artifacts", "upload",
            await ClientVerbsTests.ImageFileAsync(server.Directory, version), "--version", version, "--json");
        Assert.True(upload.ExitCode == 0, upload.ToString());
        return upload.Json().GetProperty("artifact").GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task Simulated_devices_on_a_server_are_updated_by_a_rollout_started_and_watched_through_the_cli()
    {
        await using var server = await ClientTestServer.StartAsync();
        var population = Path.Combine(server.Directory, "population.json");
        await File.WriteAllTextAsync(population, """{ "regions": { "eu": 0.67, "us": 0.33 } }""");
        using var stop = new CancellationTokenSource();
        var simulate = SimulateAsync(server, stop.Token, "--count", "3", "--population", population);
        await WaitForFleetAsync(server, simulate, 3);
        var eu = await server.RunAsync("devices", "list", "--tag", "region=eu", "--json");
        Assert.Equal(2, eu.Json().GetProperty("total").GetInt32());
        var artifact = await UploadAsync(server, "1.1.0");
        var policy = Path.Combine(server.Directory, "policy.json");
        await File.WriteAllTextAsync(policy, Policy);

        var plan = await server.RunAsync("rollout", "plan", policy, "--artifact", artifact, "--id", "cli-e2e");
        Assert.True(plan.ExitCode == 0, plan.ToString());
        Assert.Contains("rollout cli-e2e: 3 devices in 2 waves", plan.Out);
        var canary = Regex.Match(plan.Out, @"│\s+0\s+│\s+canary\s+│\s+1\s+│\s+(sim-\d{4})");
        Assert.True(canary.Success, plan.Out);
        // Without --seed the plan says which seed starts exactly its waves.
        var seed = Regex.Match(plan.Out, @"and --seed (-?\d+) to start exactly these waves");
        Assert.True(seed.Success, plan.Out);
        var started = await server.RunAsync("rollout", "start", policy, "--artifact", artifact, "--id", "cli-e2e",
            "--reason", "CHG-1", "--seed", seed.Groups[1].Value, "--json");
        Assert.True(started.ExitCode == 0, started.ToString());
        Assert.Equal("cli-e2e", started.Json().GetProperty("rolloutId").GetString());
        Assert.Equal(canary.Groups[1].Value, started.Json().GetProperty("plan").GetProperty("waves")[0]
            .GetProperty("deviceIds")[0].GetString());

        var watch = await server.RunAsync("rollout", "watch", "cli-e2e");

        Assert.True(watch.ExitCode == 0, watch.ToString());
        Assert.Contains("rollout cli-e2e completed", watch.Out);
        Assert.Contains("[####################] 1/1", watch.Out);
        var updated = await server.RunAsync("devices", "list", "--version", "1.1.0", "--json");
        Assert.Equal(3, updated.Json().GetProperty("total").GetInt32());
        var show = await server.RunAsync("devices", "show", "sim-0001");
        Assert.Contains("1.1.0", show.Out);
        Assert.Contains("UpdateRequested", show.Out);
        await stop.CancelAsync();
        var stopped = await simulate.WaitAsync(Deadline);
        Assert.True(stopped.ExitCode == 0, stopped.ToString());
        Assert.Contains("3 simulated devices attached", stopped.Out);
        Assert.Contains("stopping: 3 devices: online 3; running 1.1.0 3", stopped.Out);
    }

    [Fact]
    public async Task Rollout_watch_exits_1_with_the_halt_reason_when_the_canary_crash_loops()
    {
        await using var server = await ClientTestServer.StartAsync();
        using var stop = new CancellationTokenSource();
        var simulate = SimulateAsync(server, stop.Token, "--count", "2", "--faults", "crash-loop=1.0", "--crash-on",
            "1.1.0");
        await WaitForFleetAsync(server, simulate, 2);
        var artifact = await UploadAsync(server, "1.1.0");
        var policy = Path.Combine(server.Directory, "policy.json");
        await File.WriteAllTextAsync(policy, Policy);
        Assert.Equal(0, (await server.RunAsync("rollout", "start", policy, "--artifact", artifact, "--id",
            "cli-halt")).ExitCode);

        var watch = await server.RunAsync("rollout", "watch", "cli-halt", "--json");

        Assert.True(watch.ExitCode == ExitCodes.Invalid, watch.ToString());
        var last = System.Text.Json.JsonDocument.Parse(watch.Out.Trim().Split('\n')[^1]).RootElement;
        Assert.Equal("Halted", last.GetProperty("status").GetString());
        Assert.NotNull(last.GetProperty("haltReason").GetString());
        var plain = await server.RunAsync("rollout", "watch", "cli-halt");
        Assert.Equal(ExitCodes.Invalid, plain.ExitCode);
        Assert.Contains("rollout cli-halt ended Halted: ", plain.Out);
        await stop.CancelAsync();
        Assert.Equal(0, (await simulate.WaitAsync(Deadline)).ExitCode);
    }

    [Fact]
    public async Task Devices_simulate_refuses_a_crash_loop_without_its_release_before_provisioning_anything()
    {
        await using var server = await ClientTestServer.StartAsync();
        var run = await SimulateAsync(server, CancellationToken.None, "--count", "2", "--faults", "crash-loop=0.5");
        Assert.Equal(ExitCodes.UsageOrIoError, run.ExitCode);
        Assert.Contains("--crash-on", run.Err);
        var list = await server.RunAsync("devices", "list", "--json");
        Assert.Equal(0, list.Json().GetProperty("total").GetInt32());
    }
}
