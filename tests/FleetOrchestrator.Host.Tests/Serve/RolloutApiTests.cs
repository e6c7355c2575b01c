using System.Net;
using System.Text.Json;
using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.Host.Tests.Support;
using FleetOrchestrator.L072.Images;
using FleetOrchestrator.Server.Access;

namespace FleetOrchestrator.Host.Tests.Serve;

/// <summary>
/// <c>/api/rollouts</c> on a real orchestrator (engine, read model, rollout list projection), with simulated devices
/// on the embedded broker: plan, start, watch, the operator actions and their audit, problems by JSON path.
/// </summary>
public sealed class RolloutApiTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    private static Dictionary<string, string> Tags(string region, string cell) =>
        new() { ["region"] = region, ["cell"] = cell };

    private static async Task<string> UploadAsync(TestOrchestrator fleet, string version = "1.1.0")
    {
        var upload = await fleet.Operator.UploadAsync(SyntheticImage.Create(SemanticVersion.Parse(version)), version);
        Assert.Equal(HttpStatusCode.Created, upload.Status);
        return upload.Body.GetProperty("artifact").GetProperty("id").GetString()!;
    }

    private static object Policy(string approval) => JsonSerializer.Deserialize<JsonElement>($$"""
        {
          "name": "app 1.1.0 to eu",
          "target": { "versions": ["1.0.0"], "tags": { "region": ["eu"] } },
          "waves": [ { "name": "canary", "devices": 1 }, { "name": "rest", "percent": 100 } ],
          "gate": { "minSample": 1, "successAtLeast": 1.0, "failuresAtMost": 0, "soak": "00:00:00",
                    "approval": "{{approval}}" }
        }
        """);

    private static string[][] Waves(JsonElement plan) =>
        [.. plan.GetProperty("waves").EnumerateArray()
            .Select(w => w.GetProperty("deviceIds").EnumerateArray().Select(d => d.GetString()!).ToArray())];

    private static Task<Api.Answer> ActAsync(TestOrchestrator fleet, string id, string action, string reason) =>
        fleet.Operator.PostJsonAsync($"/api/rollouts/{id}/{action}", new { reason });

    [Fact]
    public async Task The_dry_run_shows_the_waves_the_started_rollout_runs_and_it_completes_on_the_targeted_devices()
    {
        await using var fleet = await TestOrchestrator.StartAsync();
        await using var devices = await SimulatedFleet.StartAsync(fleet,
            new Dictionary<string, Dictionary<string, string>>
        {
            ["eu-1"] = Tags("eu", "c1"), ["eu-2"] = Tags("eu", "c2"), ["eu-3"] = Tags("eu", "c1"),
            ["us-1"] = Tags("us", "c9"),
        }, Deadline);
        var artifactId = await UploadAsync(fleet);
        var body = new { id = "eu-rollout", artifactId, seed = 11, reason = "ticket 7", policy = Policy("auto") };

        var dry = await fleet.Operator.PostJsonAsync("/api/rollouts?dryRun=true", body);
        Assert.Equal(HttpStatusCode.OK, dry.Status);
        var planned = Waves(dry.Body.GetProperty("plan"));
        Assert.Equal([1, 2], planned.Select(w => w.Length));
        Assert.Equal(["eu-1", "eu-2", "eu-3"], planned.SelectMany(w => w).Order());
        Assert.Equal(HttpStatusCode.NotFound, (await fleet.Operator.GetJsonAsync("/api/rollouts/eu-rollout")).Status);

        var started = await fleet.Operator.PostJsonAsync("/api/rollouts", body);
        Assert.Equal(HttpStatusCode.Created, started.Status);
        Assert.Equal(planned, Waves(started.Body.GetProperty("plan")));
        var page = await fleet.Operator.GetJsonAsync("/api/rollouts/eu-rollout/devices?limit=10");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        var byWave = page.Body.GetProperty("devices").EnumerateArray()
            .GroupBy(d => d.GetProperty("wave").GetInt32())
            .OrderBy(g => g.Key)
            .Select(g => g.Select(d => d.GetProperty("deviceId").GetString()!).ToArray()).ToArray();
        Assert.Equal(planned, byWave);
        var again = await fleet.Operator.PostJsonAsync("/api/rollouts", body);
        Assert.Equal(HttpStatusCode.Conflict, again.Status);

        var done = await Poll.UntilAsync(() => fleet.Operator.GetJsonAsync("/api/rollouts/eu-rollout"),
            a => a.Body.GetProperty("status").GetString() is "Completed" or "Halted", Deadline, "the rollout ending");
        Assert.Equal("Completed", done.Body.GetProperty("status").GetString());
        Assert.All(done.Body.GetProperty("waves").EnumerateArray(),
            w => Assert.Equal("Passed", w.GetProperty("phase").GetString()));
        var start = done.Body.GetProperty("audit")[0];
        Assert.Equal(("start", ApiKeySecrets.BootstrapKeyName, "ticket 7"), (start.GetProperty("action").GetString(),
            start.GetProperty("who").GetString(), start.GetProperty("why").GetString()));

        var why = await fleet.Operator.GetJsonAsync($"/api/rollouts/eu-rollout/devices/{planned[1][0]}/why");
        Assert.Equal(HttpStatusCode.OK, why.Status);
        Assert.Equal(1, why.Body.GetProperty("wave").GetInt32());

        var listed = await Poll.UntilAsync(() => fleet.Operator.GetJsonAsync("/api/rollouts"),
            a => a.Body.EnumerateArray().Any(r => r.GetProperty("status").GetString() == "Completed"), Deadline,
            "the rollout list showing it completed");
        var row = Assert.Single(listed.Body.EnumerateArray());
        Assert.Equal(("eu-rollout", "app 1.1.0 to eu", 3), (row.GetProperty("rolloutId").GetString(),
            row.GetProperty("name").GetString(), row.GetProperty("devices").GetInt32()));
        Assert.Equal(3, row.GetProperty("outcomes").GetProperty("Updated").GetInt32());
        Assert.Equal([new SemanticVersion(1, 1, 0), new SemanticVersion(1, 1, 0), new SemanticVersion(1, 1, 0),
            new SemanticVersion(1, 0, 0)], devices.Devices.Select(d => d.Truth().RunningVersion));
    }

    [Fact]
    public async Task Operator_actions_are_audited_with_who_and_why_and_the_state_refuses_what_it_cannot_do()
    {
        await using var fleet = await TestOrchestrator.StartAsync();
        await using var devices = await SimulatedFleet.StartAsync(fleet,
            new Dictionary<string, Dictionary<string, string>>
        {
            ["eu-1"] = Tags("eu", "c1"), ["eu-2"] = Tags("eu", "c2"),
        }, Deadline);
        var artifactId = await UploadAsync(fleet);
        var started = await fleet.Operator.PostJsonAsync("/api/rollouts",
            new { id = "manual", artifactId, seed = 3, policy = Policy("manual") });
        Assert.Equal(HttpStatusCode.Created, started.Status);
        var canary = Waves(started.Body.GetProperty("plan"))[0][0];

        Assert.Equal(HttpStatusCode.OK, (await ActAsync(fleet, "manual", "pause", "look first")).Status);
        var twice = await ActAsync(fleet, "manual", "pause", "again");
        Assert.Equal(HttpStatusCode.Conflict, twice.Status);
        Assert.Contains("cannot pause a rollout that is Paused", twice.Body.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, (await ActAsync(fleet, "manual", "resume", "looks fine")).Status);

        await Poll.UntilAsync(() => fleet.Operator.GetJsonAsync("/api/rollouts/manual"),
            a => a.Body.GetProperty("waves")[0].GetProperty("phase").GetString() == "AwaitingApproval", Deadline,
            "the canary waiting for approval");
        var why = await fleet.Operator.GetJsonAsync("/api/rollouts/manual/devices/" +
            Waves(started.Body.GetProperty("plan"))[1][0] + "/why");
        Assert.Equal("approval", why.Body.GetProperty("waitingFor").GetString());

        var cancelled = await ActAsync(fleet, "manual", "cancel", "wrong build");
        Assert.Equal(HttpStatusCode.OK, cancelled.Status);
        Assert.Equal("Cancelled", cancelled.Body.GetProperty("status").GetString());
        var approve = await ActAsync(fleet, "manual", "approve", "too late");
        Assert.Equal(HttpStatusCode.Conflict, approve.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await ActAsync(fleet, "nope", "pause", "")).Status);

        var view = await fleet.Operator.GetJsonAsync("/api/rollouts/manual");
        var audit = view.Body.GetProperty("audit").EnumerateArray()
            .Select(a => (a.GetProperty("action").GetString(), a.GetProperty("who").GetString(),
                a.GetProperty("why").GetString()))
            .ToList();
        var who = ApiKeySecrets.BootstrapKeyName;
        Assert.Equal([("start", who, ""), ("pause", who, "look first"),
            ("resume", who, "looks fine"), ("cancel", who, "wrong build")], audit);
        Assert.Equal("1.1.0", (await fleet.Operator.GetJsonAsync($"/api/devices/{canary}")).Body
            .GetProperty("summary").GetProperty("runningVersion").GetString());
    }

    [Fact]
    public async Task Bad_policies_and_fields_come_back_by_json_path_and_start_nothing()
    {
        await using var fleet = await TestOrchestrator.StartAsync();
        var artifactId = await UploadAsync(fleet);
        var notDowngradable = await UploadAsync(fleet, "1.0.1");
        var policy = JsonSerializer.Deserialize<JsonElement>("""
            { "name": "bad", "target": {}, "waves": [ { "percent": 100 } ],
              "gate": { "successAtLeast": 2, "colour": "red" }, "onHalt": "explode" }
            """);

        var answer = await fleet.Operator.PostJsonAsync("/api/rollouts",
            new { id = "no spaces allowed", artifactId, previousArtifactId = notDowngradable, policy });

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        var paths = answer.Body.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("path").GetString())
            .ToList();
        Assert.Contains("$.policy.gate.successAtLeast", paths);
        Assert.Contains("$.policy.gate.colour", paths);
        Assert.Contains("$.policy.onHalt", paths);
        Assert.Contains("$.previousArtifactId", paths);
        Assert.Contains("$.id", paths);
        Assert.Empty((await fleet.Operator.GetJsonAsync("/api/rollouts")).Body.EnumerateArray());
    }

    [Fact]
    public async Task Tags_are_set_at_registration_or_replaced_later_and_bad_ones_write_nothing()
    {
        await using var fleet = await TestOrchestrator.StartAsync();

        var bad = await fleet.Operator.PostJsonAsync("/api/devices",
            new { deviceId = "tagged-1", tags = new Dictionary<string, string> { ["bad name"] = "x", ["cell"] = "" } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        var problems = bad.Body.GetProperty("errors").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Contains(problems, p => p.StartsWith("tags.bad name:", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("tags.cell:", StringComparison.Ordinal));
        var unprovisioned = await fleet.Operator.SendAsync(HttpMethod.Put, "/api/devices/tagged-1/tags",
            System.Net.Http.Json.JsonContent.Create(new { region = "eu" }));
        Assert.Equal(HttpStatusCode.NotFound, unprovisioned.Status);

        await using var devices = await SimulatedFleet.StartAsync(fleet,
            new Dictionary<string, Dictionary<string, string>>
        {
            ["tagged-1"] = Tags("eu", "c1"),
        }, Deadline);
        var shown = await fleet.Operator.GetJsonAsync("/api/devices/tagged-1");
        Assert.Equal("eu", shown.Body.GetProperty("tags").GetProperty("region").GetString());

        var replaced = await fleet.Operator.SendAsync(HttpMethod.Put, "/api/devices/tagged-1/tags",
            System.Net.Http.Json.JsonContent.Create(new { region = "us", tz = "America/New_York" }));
        Assert.Equal(HttpStatusCode.OK, replaced.Status);
        var tags = (await fleet.Operator.GetJsonAsync("/api/devices/tagged-1")).Body.GetProperty("tags");
        Assert.Equal(["region", "tz"], tags.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal("us", tags.GetProperty("region").GetString());
        var notObject = await fleet.Operator.SendAsync(HttpMethod.Put, "/api/devices/tagged-1/tags",
            System.Net.Http.Json.JsonContent.Create(new[] { "eu" }));
        Assert.Equal(HttpStatusCode.BadRequest, notObject.Status);
    }

    [Fact]
    public async Task A_one_off_update_is_a_one_wave_rollout_and_keeps_its_per_device_answers()
    {
        await using var fleet = await TestOrchestrator.StartAsync();
        await using var devices = await SimulatedFleet.StartAsync(fleet,
            new Dictionary<string, Dictionary<string, string>>
        {
            ["one-1"] = Tags("eu", "c1"),
        }, Deadline);
        var artifactId = await UploadAsync(fleet);

        var order = await fleet.Operator.PostJsonAsync("/api/updates",
            new { artifactId, deviceIds = new[] { "one-1", "ghost-1" } });

        Assert.Equal(HttpStatusCode.OK, order.Status);
        Assert.Equal((1, 1),
            (order.Body.GetProperty("accepted").GetInt32(), order.Body.GetProperty("refused").GetInt32()));
        Assert.Equal(["accepted", "unknown-device"],
            order.Body.GetProperty("devices").EnumerateArray().Select(d => d.GetProperty("status").GetString()));
        var listed = await Poll.UntilAsync(() => fleet.Operator.GetJsonAsync("/api/rollouts"),
            a => a.Body.EnumerateArray().Any(r => r.GetProperty("status").GetString() == "Completed"), Deadline,
            "the one-off rollout completing");
        var row = Assert.Single(listed.Body.EnumerateArray());
        var rolloutId = row.GetProperty("rolloutId").GetString()!;
        Assert.StartsWith("u-", rolloutId, StringComparison.Ordinal);
        Assert.Equal(1, row.GetProperty("devices").GetInt32());
        Assert.Equal(1, row.GetProperty("outcomes").GetProperty("Updated").GetInt32());
        var rollout = await fleet.Operator.GetJsonAsync($"/api/rollouts/{rolloutId}");
        Assert.Equal("all", Assert.Single(rollout.Body.GetProperty("waves").EnumerateArray()).GetProperty("name")
            .GetString());
        var device = await fleet.Operator.GetJsonAsync("/api/devices/one-1");
        Assert.Equal("1.1.0", device.Body.GetProperty("summary").GetProperty("runningVersion").GetString());
        Assert.All(device.Body.GetProperty("history").EnumerateArray(),
            h => Assert.Equal($"{rolloutId}-one-1", h.GetProperty("sagaId").GetString()));
    }
}
