using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FleetOrchestrator.Server.Api;
using FleetOrchestrator.Server.Json;
using FleetOrchestrator.Server.Tests.Support;

namespace FleetOrchestrator.Server.Tests.Api;

public sealed class UpdateApiTests : IAsyncLifetime
{
    private ServerHost _host = null!;
    private string _artifactId = "";

    public async Task InitializeAsync()
    {
        _host = await ServerHost.StartAsync();
        _artifactId = await _host.UploadValidAsync(TestImages.ValidBin(1024, seed: 50), "2.1.0");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<HttpResponseMessage> PostAsync(string json) =>
        await _host.Client.SendAsync(ServerHost.AsOperator(HttpMethod.Post, "/api/updates",
            new StringContent(json, Encoding.UTF8, "application/json")));

    private static async Task<string> DetailAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!;

    [Fact]
    public async Task Each_device_is_decided_on_its_own_and_the_saga_side_gets_the_stored_artifact()
    {
        _host.Updates.Busy.Add("dev-2");

        using var response = await PostAsync($$"""{"artifactId":"{{_artifactId}}","deviceIds":["dev-1","dev-2","dev-3"]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<UpdateResponse>(FleetJson.Options))!;
        Assert.Equal((2, 1), (body.Accepted, body.Refused));
        Assert.Equal("2.1.0", body.Version.ToString());
        var refused = Assert.Single(body.Devices, d => !d.Accepted);
        Assert.Equal("dev-2", refused.DeviceId);
        Assert.Contains("already running", refused.Reason);

        var order = Assert.Single(_host.Updates.Orders);
        Assert.Equal(_artifactId, order.Artifact.Id);
        Assert.Equal(["dev-1", "dev-2", "dev-3"], order.DeviceIds);
        Assert.False(string.IsNullOrEmpty(order.Artifact.ToManifestDto().SignatureBase64));
    }

    [Fact]
    public async Task An_unknown_artifact_is_400_and_starts_nothing()
    {
        var unknown = new string('c', 64);
        using var response = await PostAsync($$"""{"artifactId":"{{unknown}}","deviceIds":["dev-1"]}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(unknown, await DetailAsync(response));
        Assert.Empty(_host.Updates.Orders);
    }

    [Theory]
    [InlineData("""{"deviceIds":[]}""", "artifactId is required")]
    [InlineData("""{"artifactId":"ARTIFACT","deviceIds":[]}""", "at least one device")]
    [InlineData("""{"artifactId":"ARTIFACT"}""", "at least one device")]
    [InlineData("""{"artifactId":"ARTIFACT","deviceIds":["dev-1","dev/2"]}""", "deviceIds[1] 'dev/2'")]
    [InlineData("""{"artifactId":"ARTIFACT","deviceIds":["dev-1",null]}""", "deviceIds[1]")]
    [InlineData("""{"artifactId":"ARTIFACT","deviceIds":["dev-1","dev-1"]}""", "listed twice")]
    [InlineData("""{"artifactId":"ARTIFACT","deviceIds":"dev-1"}""", "not JSON of the form")]
    [InlineData("""not json""", "not JSON of the form")]
    [InlineData("""{"artifactId":"ARTIFACT","deviceIds":["dev-1"],"policy":{"healthWindow":"10 minutes"}}""",
        "policy.healthWindow: must be a duration \"hh:mm:ss\"")]
    [InlineData("""{"artifactId":"ARTIFACT","deviceIds":["dev-1"],"policy":{"healthWindow":"00:00:00"}}""",
        "policy.healthWindow: must be longer than 00:00:00")]
    [InlineData("""{"artifactId":"ARTIFACT","deviceIds":["dev-1"],"policy":{"healthWindow":"00:61:00"}}""",
        "policy.healthWindow")]
    [InlineData("""{"artifactId":"ARTIFACT","deviceIds":["dev-1"],"policy":{"maxDownloadAttempts":0}}""",
        "policy.maxDownloadAttempts: must be an integer 1..100, got 0")]
    [InlineData("""{"artifactId":"ARTIFACT","deviceIds":["dev-1"],"policy":{"healthWindo":"00:01:00"}}""",
        "policy.healthWindo: unknown member")]
    [InlineData("""{"artifactId":"ARTIFACT","deviceIds":["dev-1"],"policy":"fast"}""", "policy: must be an object")]
    public async Task Bad_requests_are_400_with_the_reason_and_start_nothing(string json, string expected)
    {
        using var response = await PostAsync(json.Replace("ARTIFACT", _artifactId, StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await DetailAsync(response));
        Assert.Empty(_host.Updates.Orders);
    }

    [Fact]
    public async Task A_policy_sets_the_saga_timing_of_this_order_and_unset_members_keep_the_defaults()
    {
        using var response = await PostAsync($$"""
            {"artifactId":"{{_artifactId}}","deviceIds":["dev-1"],
             "policy":{"healthWindow":"00:01:30","bootTimeout":"00:05:00","healthReportDeadline":"48:00:00",
                       "maxDownloadAttempts":3} }
            """);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var policy = Assert.Single(_host.Updates.Orders).Policy!;
        Assert.Equal(TimeSpan.FromSeconds(90), policy.HealthWindow);
        Assert.Equal(TimeSpan.FromMinutes(5), policy.BootTimeout);
        Assert.Equal(TimeSpan.FromHours(48), policy.HealthReportDeadline);
        Assert.Equal(3, policy.MaxDownloadAttempts);
        Assert.Null(policy.CommitTimeout);
    }

    [Fact]
    public async Task A_policy_the_orchestration_cannot_run_is_400_and_starts_nothing()
    {
        _host.Updates.PolicyProblem = "ResendIntervalCap 00:00:10 is below ResendInterval 00:00:30";
        using var response = await PostAsync($$"""
            {"artifactId":"{{_artifactId}}","deviceIds":["dev-1"],"policy":{"resendIntervalCap":"00:00:10"} }
            """);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("policy: ResendIntervalCap", await DetailAsync(response));
        Assert.Empty(_host.Updates.Orders);
    }

    [Fact]
    public async Task A_saga_that_did_not_answer_in_time_is_pending_with_202_not_refused()
    {
        _host.Updates.Slow.Add("dev-2");

        using var response = await PostAsync($$"""{"artifactId":"{{_artifactId}}","deviceIds":["dev-1","dev-2"]}""");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        var body = JsonSerializer.Deserialize<UpdateResponse>(text, FleetJson.Options)!;
        Assert.Equal((1, 0, 1), (body.Accepted, body.Refused, body.Pending));
        var pending = body.Devices.Single(d => d.DeviceId == "dev-2");
        Assert.Equal(UpdateDecision.PendingStatus, pending.Status);
        Assert.Contains("GET /api/devices/dev-2", pending.Reason);
        var second = JsonDocument.Parse(text).RootElement.GetProperty("devices")[1];
        Assert.Equal("pending", second.GetProperty("status").GetString());
    }
}
