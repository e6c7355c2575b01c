using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.L072.Images;

namespace FleetOrchestrator.Cli.Tests.Client;

/// <summary>
/// The client verbs against a real `fleet serve` composition: --json is the API's JSON, tables carry the same facts,
/// refusals exit 1 with the server's problem, a wrong key exits 3.
/// </summary>
public sealed class ClientVerbsTests
{
    internal static async Task<string> ImageFileAsync(string directory, string version)
    {
        var path = Path.Combine(directory, $"app-{version}.bin");
        await File.WriteAllBytesAsync(path, SyntheticImage.Create(SemanticVersion.Parse(version)));
        return path;
    }

    [Fact]
    public async Task Artifacts_upload_list_and_show_print_the_api_json_and_tables()
    {
        await using var server = await ClientTestServer.StartAsync();
        var image = await ImageFileAsync(server.Directory, "1.1.0");

        var upload = await server.RunAsync("artifacts", "upload", image, "--version", "1.1.0", "--json");
        Assert.True(upload.ExitCode == 0, upload.ToString());
        var artifact = upload.Json().GetProperty("artifact");
        var id = artifact.GetProperty("id").GetString()!;
        Assert.Equal("1.1.0", artifact.GetProperty("version").GetString());
        Assert.True(upload.Json().GetProperty("created").GetBoolean());

        var again = await server.RunAsync("artifacts", "upload", image, "--version", "1.1.0");
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("already stored", again.Out);

        var list = await server.RunAsync("artifacts", "list", "--json");
        Assert.Equal(id, Assert.Single(list.Json().EnumerateArray()).GetProperty("id").GetString());
        var table = await server.RunAsync("artifacts", "list");
        Assert.Matches($@"{id}\s+│\s+1\.1\.0\s+│\s+stm32l072cz", table.Out);

        var show = await server.RunAsync("artifacts", "show", id, "--json");
        Assert.Equal(id, show.Json().GetProperty("id").GetString());
        var missing = await server.RunAsync("artifacts", "show", "0000");
        Assert.Equal(ExitCodes.Invalid, missing.ExitCode);
        Assert.Contains("(HTTP 404)", missing.Err);

        var bad = await server.RunAsync("artifacts", "upload", image, "--version", "one");
        Assert.Equal(ExitCodes.Invalid, bad.ExitCode);
        Assert.Contains("(HTTP 400)", bad.Err);
    }

    [Fact]
    public async Task Devices_register_list_show_and_revoke_go_to_the_server_when_one_is_given()
    {
        await using var server = await ClientTestServer.StartAsync();

        var registered = await server.RunAsync("devices", "register", "cli-1", "--tag", "region=eu", "--tag", "cell=c1",
            "--json");
        Assert.True(registered.ExitCode == 0, registered.ToString());
        Assert.Matches("^[A-Za-z0-9_-]{43}$", registered.Json().GetProperty("secret").GetString());
        var twice = await server.RunAsync("devices", "register", "cli-1");
        Assert.Equal(ExitCodes.Invalid, twice.ExitCode);
        Assert.Contains("(HTTP 409)", twice.Err);
        var invalid = await server.RunAsync("devices", "register", "bad/id");
        Assert.Equal(ExitCodes.Invalid, invalid.ExitCode);
        Assert.Contains("(HTTP 400)", invalid.Err);

        var list = await server.RunAsync("devices", "list", "--json");
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.True(list.Json().TryGetProperty("total", out _));
        var badState = await server.RunAsync("devices", "list", "--state", "nonsense");
        Assert.Equal(ExitCodes.Invalid, badState.ExitCode);
        Assert.Contains("(HTTP 400)", badState.Err);

        var revoked = await server.RunAsync("devices", "revoke", "cli-1");
        Assert.True(revoked.ExitCode == 0, revoked.ToString());
        Assert.Contains("revoked  cli-1 on", revoked.Out);
        var revokedAgain = await server.RunAsync("devices", "revoke", "cli-1");
        Assert.Equal(ExitCodes.Invalid, revokedAgain.ExitCode);
        Assert.Contains("(HTTP 404)", revokedAgain.Err);
    }

    [Fact]
    public async Task Devices_list_and_revoke_stay_offline_with_data_dir_and_refuse_both_modes_at_once()
    {
        await using var server = await ClientTestServer.StartAsync();
        var offline = Path.Combine(server.Directory, "offline");
        Assert.Equal(0, (await ClientRun.Of(server.Environment, ["devices", "add", "off-1", "--data-dir",
            offline])).ExitCode);

        var list = await ClientRun.Of(server.Environment, ["devices", "list", "--data-dir", offline]);
        Assert.Equal(0, list.ExitCode);
        Assert.StartsWith("off-1\t", list.Out, StringComparison.Ordinal);

        var both = await server.RunAsync("devices", "list", "--data-dir", offline);
        Assert.Equal(ExitCodes.UsageOrIoError, both.ExitCode);
        Assert.Contains("exclude each other", both.Err);
    }

    [Fact]
    public async Task Update_plan_and_the_rollout_actions_report_the_servers_answers_and_refusals()
    {
        await using var server = await ClientTestServer.StartAsync();
        var image = await ImageFileAsync(server.Directory, "1.1.0");
        var artifact = (await server.RunAsync("artifacts", "upload", image, "--version", "1.1.0", "--json"))
            .Json().GetProperty("artifact").GetProperty("id").GetString()!;
        Assert.Equal(0, (await server.RunAsync("devices", "register", "upd-1")).ExitCode);

        var update = await server.RunAsync("update", "upd-1", "ghost", "--artifact", artifact, "--json");
        Assert.Equal(ExitCodes.Invalid, update.ExitCode); // "ghost" was never provisioned
        var decisions = update.Json().GetProperty("devices").EnumerateArray().ToDictionary(
            d => d.GetProperty("deviceId").GetString()!, d => d.GetProperty("status").GetString());
        Assert.Equal("unknown-device", decisions["ghost"]);
        Assert.Contains(decisions["upd-1"], new[] { "accepted", "pending" });

        // The list is the read model's projection: it lags the journal by a moment.
        var rollouts = await ClientPoll.UntilAsync(() => server.RunAsync("rollout", "list", "--json"),
            r => r.ExitCode == 0 && r.Json().GetArrayLength() == 1, "the one-off update listed as a rollout");
        var oneOff = Assert.Single(rollouts.Json().EnumerateArray()).GetProperty("rolloutId").GetString()!;
        Assert.StartsWith("u-", oneOff, StringComparison.Ordinal);

        var paused = await server.RunAsync("rollout", "pause", oneOff, "--reason", "night shift", "--json");
        Assert.True(paused.ExitCode == 0, paused.ToString());
        Assert.Equal("Paused", paused.Json().GetProperty("status").GetString());
        var again = await server.RunAsync("rollout", "pause", oneOff);
        Assert.Equal(ExitCodes.Invalid, again.ExitCode);
        Assert.Matches(@"^error: Action refused: rollout \S+ refused pause: .*\(HTTP 409\)", again.Err);
        var status = await server.RunAsync("rollout", "status", oneOff);
        Assert.Contains("Paused", status.Out);
        // Who: the name of the key that signed the request (the bootstrap admin key here).
        Assert.Matches(@"pause\s+│\s+bootstrap-admin\s+│\s+night shift", status.Out);
        Assert.Equal(0, (await server.RunAsync("rollout", "resume", oneOff)).ExitCode);
        var why = await server.RunAsync("rollout", "why", oneOff, "upd-1", "--json");
        Assert.Equal("upd-1", why.Json().GetProperty("deviceId").GetString());
        var cancelled = await server.RunAsync("rollout", "cancel", oneOff, "--reason", "wrong build");
        Assert.Equal(0, cancelled.ExitCode);
        Assert.Contains("cancel: accepted", cancelled.Out);
        var watch = await server.RunAsync("rollout", "watch", oneOff);
        Assert.Equal(ExitCodes.Invalid, watch.ExitCode);
        Assert.Contains("ended Cancelled", watch.Out);

        var unknown = await server.RunAsync("rollout", "approve", "no-such-rollout");
        Assert.Equal(ExitCodes.Invalid, unknown.ExitCode);
        Assert.Contains("(HTTP 404)", unknown.Err);

        var policy = Path.Combine(server.Directory, "policy.json");
        await File.WriteAllTextAsync(policy, """
            { "name": "plan test", "target": { "versions": ["1.0.0"] }, "waves": [ { "percent": 100 } ],
              "gate": { "minSample": 1, "successAtLeast": 1.0, "failuresAtMost": 0, "soak": "00:00:00" } }
            """);
        var plan = await server.RunAsync("rollout", "plan", policy, "--artifact", artifact, "--seed", "3", "--json");
        Assert.True(plan.ExitCode == 0, plan.ToString());
        Assert.True(plan.Json().GetProperty("dryRun").GetBoolean());
        Assert.Equal(3, plan.Json().GetProperty("plan").GetProperty("seed").GetInt32());
        var noArtifact = await server.RunAsync("rollout", "plan", policy);
        Assert.Equal(ExitCodes.UsageOrIoError, noArtifact.ExitCode);
        Assert.Contains("--artifact", noArtifact.Err);
        await File.WriteAllTextAsync(policy,
            """{ "name": "x", "target": {}, "waves": [ { "percent": 100 } ], "gate": { "successAtLeast": 2 } }""");
        var invalid = await server.RunAsync("rollout", "start", policy, "--artifact", artifact);
        Assert.Equal(ExitCodes.Invalid, invalid.ExitCode);
        Assert.Contains("$.policy.gate.successAtLeast", invalid.Err);
        Assert.Contains("(HTTP 400)", invalid.Err);
    }

    [Fact]
    public async Task A_wrong_key_exits_3_with_the_servers_problem()
    {
        await using var server = await ClientTestServer.StartAsync();
        var run = await ClientRun.Of(server.Environment, ["rollout", "list", "--server", server.Url, "--api-key",
            "wrong"]);
        Assert.Equal(ExitCodes.Unreachable, run.ExitCode);
        Assert.Contains("(HTTP 401)", run.Err);
    }
}
