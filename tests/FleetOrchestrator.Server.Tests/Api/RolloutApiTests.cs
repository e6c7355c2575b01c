using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FleetOrchestrator.Server.Access;
using FleetOrchestrator.Server.Api.Rollouts;
using FleetOrchestrator.Server.Tests.Support;

namespace FleetOrchestrator.Server.Tests.Api;

/// <summary>The contract of <c>/api/rollouts</c> over a recording fake of the engine.</summary>
public sealed class RolloutApiTests : IAsyncLifetime
{
    private const string Policy = """{"name":"app to eu","waves":[{"name":"canary","devices":1},{"percent":100}]}""";

    private ServerHost _host = null!;
    private string _artifactId = "";

    public async Task InitializeAsync()
    {
        _host = await ServerHost.StartAsync();
        _artifactId = await _host.UploadValidAsync(TestImages.ValidBin(1024, seed: 71), "2.1.0");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? json = null) =>
        await _host.Client.SendAsync(ServerHost.AsOperator(method, path,
            json is null ? null : new StringContent(json, Encoding.UTF8, "application/json")));

    private Task<HttpResponseMessage> SubmitAsync(string body, string query = "") =>
        SendAsync(HttpMethod.Post, "/api/rollouts" + query, body);

    private string Body(string extra = "", string policy = Policy) =>
        $$"""{"artifactId":"{{_artifactId}}","policy":{{policy}}{{extra}}}""";

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<string[]> ErrorPathsAsync(HttpResponseMessage response) =>
        [.. (await ProblemAsync(response)).GetProperty("errors").EnumerateArray()
            .Select(e => e.GetProperty("path").GetString()!)];

    private async Task<string> StartAsync(string id = "r-1")
    {
        using var response = await SubmitAsync(Body($$""","id":"{{id}}" """));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return id;
    }

    [Fact]
    public async Task Every_rollout_endpoint_wants_the_operator_key()
    {
        var paths = new[]
        {
            (HttpMethod.Post, "/api/rollouts"), (HttpMethod.Get, "/api/rollouts"),
            (HttpMethod.Get, "/api/rollouts/r-1"),
            (HttpMethod.Get, "/api/rollouts/r-1/devices"), (HttpMethod.Get, "/api/rollouts/r-1/devices/dev-1/why"),
            (HttpMethod.Post, "/api/rollouts/r-1/pause"),
        };
        foreach (var (method, path) in paths)
        {
            using var response = await _host.Client.SendAsync(new HttpRequestMessage(method, path));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            await ProblemAsync(response);
        }
        Assert.Empty(_host.Rollouts.Orders);
    }

    [Fact]
    public async Task A_dry_run_returns_the_plan_and_starts_nothing()
    {
        using var response = await SubmitAsync(Body(""","seed":7"""), "?dryRun=true");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(body.GetProperty("dryRun").GetBoolean());
        var plan = body.GetProperty("plan");
        Assert.Equal(["dev-1"], plan.GetProperty("waves")[0].GetProperty("deviceIds").EnumerateArray()
            .Select(d => d.GetString()));
        var excluded = plan.GetProperty("excluded")[0];
        Assert.Equal(("dev-9", "up-to-date"),
            (excluded.GetProperty("deviceId").GetString(), excluded.GetProperty("reason").GetString()));
        Assert.Equal("00:42:00", plan.GetProperty("eta").GetString());
        var (order, dryRun) = Assert.Single(_host.Rollouts.Orders);
        Assert.True(dryRun);
        Assert.Equal(7, order.Seed);
        Assert.Empty(_host.Rollouts.Known);
    }

    [Fact]
    public async Task A_start_is_201_with_its_location_and_records_who_and_why()
    {
        using var upload = await _host.UploadAsync(TestImages.ValidBin(1024, seed: 72), "app.bin", "2.0.0",
            "&allowDowngrade=true");
        var previous = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("artifact")
            .GetProperty("id").GetString()!;

        using var response = await SubmitAsync(Body(
            $$""","id":"eu-1","previousArtifactId":"{{previous}}","reason":"ticket 12" """));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("/api/rollouts/eu-1", response.Headers.Location?.OriginalString);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("eu-1", "Running"),
            (body.GetProperty("rolloutId").GetString(), body.GetProperty("status").GetString()));
        var (order, dryRun) = Assert.Single(_host.Rollouts.Orders);
        Assert.False(dryRun);
        Assert.Equal((_artifactId, previous, ApiKeySecrets.BootstrapKeyName, "ticket 12"),
            (order.Artifact.Id, order.Previous?.Id, order.Who, order.Why));
        Assert.Equal("app to eu", order.Policy.GetProperty("name").GetString());
    }

    [Fact]
    public async Task An_update_policy_reaches_the_order_as_saga_timing_overrides()
    {
        using var response = await SubmitAsync(Body(
            ""","updatePolicy":{"healthWindow":"00:00:02","maxDownloadAttempts":3}"""));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var (order, _) = Assert.Single(_host.Rollouts.Orders);
        Assert.Equal(TimeSpan.FromSeconds(2), order.SagaPolicy?.HealthWindow);
        Assert.Equal(3, order.SagaPolicy?.MaxDownloadAttempts);
        Assert.Null(order.SagaPolicy?.BootTimeout);
    }

    [Fact]
    public async Task A_bad_update_policy_is_named_by_its_json_path_and_nothing_starts()
    {
        using var response = await SubmitAsync(Body(""","updatePolicy":{"healthWindow":"soon","nope":1}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["$.updatePolicy.healthWindow", "$.updatePolicy.nope"], await ErrorPathsAsync(response));
        Assert.Empty(_host.Rollouts.Orders);
    }

    [Fact]
    public async Task Policy_problems_come_back_by_json_path_and_nothing_starts()
    {
        _host.Rollouts.PolicyProblems.Add(new("$.policy.gate.successAtLeast", "must be from 0 to 1"));
        _host.Rollouts.PolicyProblems.Add(new("$.policy.waves[1].percent", "must be above the previous wave's"));

        using var response = await SubmitAsync(Body());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["$.policy.gate.successAtLeast", "$.policy.waves[1].percent"], await ErrorPathsAsync(response));
        Assert.Empty(_host.Rollouts.Known);
    }

    [Fact]
    public async Task Request_fields_are_checked_before_the_engine_each_by_its_path()
    {
        var unknown = new string('c', 64);
        using var response = await SubmitAsync(
            $$"""{"id":"no spaces!","artifactId":"{{unknown}}","previousArtifactId":"{{unknown}}"}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["$.id", "$.artifactId", "$.previousArtifactId", "$.policy"], await ErrorPathsAsync(response));
        Assert.Empty(_host.Rollouts.Orders);
    }

    [Fact]
    public async Task A_previous_image_must_allow_the_downgrade()
    {
        var previous = await _host.UploadValidAsync(TestImages.ValidBin(1024, seed: 73), "2.0.0");

        using var response = await SubmitAsync(Body($$""","previousArtifactId":"{{previous}}" """));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["$.previousArtifactId"], await ErrorPathsAsync(response));
        Assert.Empty(_host.Rollouts.Orders);
    }

    [Fact]
    public async Task Policy_problems_are_listed_with_the_other_fields_problems()
    {
        _host.Rollouts.PolicyProblems.Add(new("$.policy.onHalt", "must be one of pause, rollbackWave, rollbackAll"));

        using var response = await SubmitAsync(Body(""","id":"bad id" """));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["$.id", "$.policy.onHalt"], await ErrorPathsAsync(response));
        Assert.Empty(_host.Rollouts.Orders);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"artifactId": 5}""")]
    [InlineData("null")]
    public async Task A_malformed_body_is_a_400_problem(string body)
    {
        using var response = await SubmitAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await ProblemAsync(response);
        Assert.Empty(_host.Rollouts.Orders);
    }

    [Fact]
    public async Task A_dry_run_flag_that_is_not_a_boolean_is_refused()
    {
        using var response = await SubmitAsync(Body(), "?dryRun=perhaps");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("perhaps", (await ProblemAsync(response)).GetProperty("detail").GetString());
        Assert.Empty(_host.Rollouts.Orders);
    }

    [Fact]
    public async Task A_start_the_engine_refuses_is_409_with_its_reason()
    {
        _host.Rollouts.Refusal = "a rollout with this id exists (Running)";

        using var response = await SubmitAsync(Body(""","id":"r-1" """));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("exists", (await ProblemAsync(response)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task The_list_shows_each_rollout_with_status_and_counts()
    {
        await StartAsync("r-1");
        await StartAsync("r-2");

        var list = await _host.Client.SendAsync(ServerHost.AsOperator(HttpMethod.Get, "/api/rollouts"));

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        var rows = await list.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["r-1", "r-2"], rows.EnumerateArray().Select(r => r.GetProperty("rolloutId").GetString()));
        Assert.Equal("Running", rows[0].GetProperty("status").GetString());
        Assert.Equal(1, rows[0].GetProperty("outcomes").GetProperty("Updated").GetInt32());
    }

    [Fact]
    public async Task One_rollout_shows_its_waves_and_an_unknown_one_is_404()
    {
        await StartAsync("r-1");

        using var known = await SendAsync(HttpMethod.Get, "/api/rollouts/r-1");
        using var unknown = await SendAsync(HttpMethod.Get, "/api/rollouts/r-404");
        using var invalid = await SendAsync(HttpMethod.Get, "/api/rollouts/bad%20id");

        Assert.Equal(HttpStatusCode.OK, known.StatusCode);
        var wave = (await known.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("waves")[0];
        Assert.Equal("waiting for sample (0 of 1)", wave.GetProperty("gateState").GetString());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("r-404", (await ProblemAsync(unknown)).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        await ProblemAsync(invalid);
    }

    [Fact]
    public async Task Devices_are_paged_and_bad_paging_is_a_400()
    {
        await StartAsync("r-1");

        using var page = await SendAsync(HttpMethod.Get, "/api/rollouts/r-1/devices?wave=0&offset=5&limit=10");
        using var bad = await SendAsync(HttpMethod.Get, "/api/rollouts/r-1/devices?limit=0&wave=-1");
        using var unknown = await SendAsync(HttpMethod.Get, "/api/rollouts/r-404/devices");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var body = await page.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("dev-1", body.GetProperty("devices")[0].GetProperty("deviceId").GetString());
        Assert.Equal(("r-1", 0, 5, 10), _host.Rollouts.DeviceQueries.First());
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(2, (await ProblemAsync(bad)).GetProperty("errors").GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        await ProblemAsync(unknown);
    }

    [Fact]
    public async Task Why_explains_a_device_and_checks_both_ids()
    {
        await StartAsync("r-1");

        using var why = await SendAsync(HttpMethod.Get, "/api/rollouts/r-1/devices/dev-1/why");
        using var badDevice = await SendAsync(HttpMethod.Get, "/api/rollouts/r-1/devices/bad%20dev/why");
        using var unknown = await SendAsync(HttpMethod.Get, "/api/rollouts/r-404/devices/dev-1/why");

        Assert.Equal(HttpStatusCode.OK, why.StatusCode);
        var explained = await why.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("device", explained.GetProperty("waitingFor").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, badDevice.StatusCode);
        await ProblemAsync(badDevice);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        await ProblemAsync(unknown);
    }

    [Theory]
    [InlineData("pause", RolloutActionKind.Pause)]
    [InlineData("resume", RolloutActionKind.Resume)]
    [InlineData("approve", RolloutActionKind.Approve)]
    [InlineData("cancel", RolloutActionKind.Cancel)]
    [InlineData("rollback", RolloutActionKind.Rollback)]
    [InlineData("activate", RolloutActionKind.Activate)]
    public async Task Each_action_reaches_the_rollout_with_who_and_why(string action, RolloutActionKind kind)
    {
        await StartAsync("r-1");

        using var response = await SendAsync(HttpMethod.Post, $"/api/rollouts/r-1/{action}", """{"reason":"night"}""");
        using var bare = await SendAsync(HttpMethod.Post, $"/api/rollouts/r-1/{action}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, bare.StatusCode);
        var who = ApiKeySecrets.BootstrapKeyName;
        Assert.Equal([("r-1", kind, who, "night", (int?)null), ("r-1", kind, who, "", null)],
            _host.Rollouts.Actions);
    }

    [Fact]
    public async Task Approve_takes_the_wave_the_operator_means()
    {
        await StartAsync("r-1");

        using var response = await SendAsync(HttpMethod.Post, "/api/rollouts/r-1/approve", """{"wave":2}""");
        using var misplaced = await SendAsync(HttpMethod.Post, "/api/rollouts/r-1/pause", """{"wave":2}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, Assert.Single(_host.Rollouts.Actions).Wave);
        Assert.Equal(HttpStatusCode.BadRequest, misplaced.StatusCode);
        await ProblemAsync(misplaced);
    }

    [Fact]
    public async Task An_action_the_state_refuses_is_409_with_the_engines_reason()
    {
        await StartAsync("r-1");
        _host.Rollouts.Refusal = "cannot resume a rollout that is Running";

        using var response = await SendAsync(HttpMethod.Post, "/api/rollouts/r-1/resume");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await ProblemAsync(response);
        Assert.Contains("cannot resume a rollout that is Running", problem.GetProperty("detail").GetString());
        Assert.Equal("Running", problem.GetProperty("rolloutStatus").GetString());
    }

    [Fact]
    public async Task Unknown_rollouts_unknown_actions_and_bad_bodies_are_problems()
    {
        await StartAsync("r-1");

        using var unknownRollout = await SendAsync(HttpMethod.Post, "/api/rollouts/r-404/pause");
        using var unknownAction = await SendAsync(HttpMethod.Post, "/api/rollouts/r-1/explode");
        using var numericAction = await SendAsync(HttpMethod.Post, "/api/rollouts/r-1/1");
        using var twoActions = await SendAsync(HttpMethod.Post, "/api/rollouts/r-1/pause,resume");
        using var badBody = await SendAsync(HttpMethod.Post, "/api/rollouts/r-1/pause", "{not json");
        using var longReason = await SendAsync(HttpMethod.Post, "/api/rollouts/r-1/pause",
            $$"""{"reason":"{{new string('x', RolloutEndpoints.MaxReasonLength + 1)}}"}""");

        Assert.Equal(HttpStatusCode.NotFound, unknownRollout.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownAction.StatusCode);
        Assert.Contains("pause, resume, approve, cancel, rollback, activate",
            (await ProblemAsync(unknownAction)).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.NotFound, numericAction.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, twoActions.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badBody.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, longReason.StatusCode);
        foreach (var r in new[] { unknownRollout, badBody, longReason }) await ProblemAsync(r);
        Assert.Empty(_host.Rollouts.Actions);
    }
}
