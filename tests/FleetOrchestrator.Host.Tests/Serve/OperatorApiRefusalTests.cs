using System.Net;
using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.Host.Tests.Support;
using FleetOrchestrator.L072.Images;
using FleetOrchestrator.Mqtt.Security;
using FleetOrchestrator.Simulation.Links.DeviceMqtt;

namespace FleetOrchestrator.Host.Tests.Serve;

/// <summary>The refusals a new user meets first: no key, an unknown device, a bad artifact, a duplicate or bad registration.</summary>
public sealed class OperatorApiRefusalTests(OrchestratorFixture fixture) : IClassFixture<OrchestratorFixture>
{
    private TestOrchestrator Fleet => fixture.Fleet;

    [Theory]
    [InlineData("GET", "/api/devices")]
    [InlineData("GET", "/api/devices/dev-1")]
    [InlineData("POST", "/api/devices")]
    [InlineData("DELETE", "/api/devices/dev-1/credentials")]
    [InlineData("POST", "/api/artifacts?version=1.1.0")]
    [InlineData("POST", "/api/updates")]
    public async Task Calls_without_the_operator_key_are_401(string method, string path)
    {
        var answer = await Fleet.Anonymous.SendAsync(new HttpMethod(method), path, new StringContent("{\"deviceId\":\"dev-1\"}"));
        Assert.Equal(HttpStatusCode.Unauthorized, answer.Status);
    }

    [Fact]
    public async Task A_wrong_operator_key_is_401_and_registers_nothing()
    {
        using var wrong = new HttpClient { BaseAddress = Fleet.Host.HttpAddress };
        wrong.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "not-the-key");
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.RegisterAsync("sneaky-1")).Status);
        Assert.False(Fleet.Host.Credentials.ContainsDevice("sneaky-1"));
    }

    [Fact]
    public async Task An_unknown_device_is_404()
    {
        var answer = await Fleet.Operator.GetJsonAsync("/api/devices/never-seen-1");
        Assert.Equal(HttpStatusCode.NotFound, answer.Status);
        Assert.Contains("never-seen-1", answer.Body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task An_unreadable_artifact_is_400_and_an_update_to_an_unknown_artifact_is_400()
    {
        var upload = await Fleet.Operator.UploadAsync("this is not intel hex\n"u8.ToArray(), "1.1.0", "broken.hex");
        Assert.Equal(HttpStatusCode.BadRequest, upload.Status);
        Assert.Contains("broken.hex", upload.Body.GetProperty("detail").GetString());

        var order = await Fleet.Operator.PostJsonAsync("/api/updates", new { artifactId = new string('0', 64), deviceIds = new[] { "dev-1" } });
        Assert.Equal(HttpStatusCode.BadRequest, order.Status);
    }

    [Fact]
    public async Task An_update_names_each_never_provisioned_device_unknown_and_starts_nothing_for_it()
    {
        Assert.Equal(HttpStatusCode.Created, (await Fleet.Operator.RegisterAsync("known-upd-1")).Status);
        var upload = await Fleet.Operator.UploadAsync(SyntheticImage.Create(new SemanticVersion(1, 1, 0)), "1.1.0");
        var artifactId = upload.Body.GetProperty("artifact").GetProperty("id").GetString()!;

        var order = await Fleet.Operator.PostJsonAsync("/api/updates",
            new { artifactId, deviceIds = new[] { "known-upd-1", "typo-upd-1" } });

        Assert.Equal(HttpStatusCode.OK, order.Status);
        var devices = order.Body.GetProperty("devices").EnumerateArray()
            .ToDictionary(d => d.GetProperty("deviceId").GetString()!);
        Assert.Equal("accepted", devices["known-upd-1"].GetProperty("status").GetString());
        Assert.Equal("unknown-device", devices["typo-upd-1"].GetProperty("status").GetString());
        Assert.Contains("never provisioned", devices["typo-upd-1"].GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await Fleet.Operator.GetJsonAsync("/api/devices/typo-upd-1")).Status);
    }

    [Fact]
    public async Task A_policy_the_saga_cannot_run_is_400_naming_the_rule()
    {
        var upload = await Fleet.Operator.UploadAsync(SyntheticImage.Create(new SemanticVersion(1, 1, 1)), "1.1.1");
        var artifactId = upload.Body.GetProperty("artifact").GetProperty("id").GetString()!;
        var order = await Fleet.Operator.PostJsonAsync("/api/updates",
            new
            {
                artifactId, deviceIds = new[] { "pol-1" },
                policy = new { backoffBase = "00:10:00", backoffCap = "00:01:00" },
            });
        Assert.Equal(HttpStatusCode.BadRequest, order.Status);
        Assert.Contains("policy: backoff base", order.Body.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("state=nonsense", "state 'nonsense' is not a saga state; use one of: idle, checkingVersion, clear")]
    [InlineData("outcome=nonsense", "revertedAfterCommit")]
    public async Task An_unknown_filter_value_is_400_listing_the_orchestrations_names(string query, string expected)
    {
        var answer = await Fleet.Operator.GetJsonAsync("/api/devices?" + query);
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Contains(expected, answer.Body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Registering_twice_is_409_and_keeps_the_first_secret()
    {
        var first = await Fleet.Operator.RegisterAsync("twice-1");
        Assert.Equal(HttpStatusCode.Created, first.Status);
        var second = await Fleet.Operator.RegisterAsync("twice-1");
        Assert.Equal(HttpStatusCode.Conflict, second.Status);
        Assert.False(second.Body.TryGetProperty("secret", out _));
        Assert.Equal(FleetOrchestrator.Mqtt.Security.CredentialCheck.Device,
            Fleet.Host.Credentials.Verify("twice-1", System.Text.Encoding.UTF8.GetBytes(first.Body.GetProperty("secret").GetString()!)));
    }

    [Fact]
    public async Task Registering_the_service_identity_is_400_naming_the_field_and_writes_nothing()
    {
        var answer = await Fleet.Operator.RegisterAsync("fleet-orchestrator");

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Contains("reserved", answer.Body.GetProperty("detail").GetString());
        Assert.True(answer.Body.GetProperty("errors").TryGetProperty("deviceId", out _), answer.ToString());
        Assert.DoesNotContain(Fleet.Host.Devices.File.Load(), e => e.DeviceId == "fleet-orchestrator");
    }

    [Theory]
    [InlineData("{\"deviceId\":\"has space\"}")]
    [InlineData("{\"deviceId\":\"a/b\"}")]
    [InlineData("{\"deviceId\":\"\"}")]
    [InlineData("{}")]
    [InlineData("not json")]
    public async Task A_bad_registration_is_400(string body)
    {
        var answer = await Fleet.Operator.SendAsync(HttpMethod.Post, "/api/devices", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.False(string.IsNullOrEmpty(answer.Body.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task Random_registration_bodies_never_get_a_server_error()
    {
        var random = new Random(7);
        var alphabet = "{}[]\":,dviceI-_ 0aZ/\\é\u0000";
        for (int i = 0; i < 150; i++)
        {
            var body = i % 2 == 0
                ? "{\"deviceId\":\"" + new string([.. Enumerable.Range(0, random.Next(0, 80)).Select(_ => alphabet[random.Next(alphabet.Length)])]) + "\"}"
                : new string([.. Enumerable.Range(0, random.Next(0, 60)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
            var answer = await Fleet.Operator.SendAsync(HttpMethod.Post, "/api/devices", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
            Assert.True((int)answer.Status is 201 or 400 or 409, $"body {body} got {answer}");
        }
    }

    [Fact]
    public async Task Revoking_closes_the_live_connection_refuses_the_reconnect_and_a_second_revoke_is_404()
    {
        var registered = await Fleet.Operator.RegisterAsync("revoke-1");
        var secretText = registered.Body.GetProperty("secret").GetString()!;
        var (host, port) = Fleet.Host.BrokerEndpoint;
        await using var connection = new DeviceMqttConnection(new DeviceConnectionOptions(host, port, "revoke-1", secretText), _ => Task.CompletedTask, null);
        Assert.True((await connection.ConnectAsync()).IsConnected);
        var lost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.ConnectionLost += () => lost.TrySetResult();

        Assert.Equal(HttpStatusCode.NoContent, (await Fleet.Operator.SendAsync(HttpMethod.Delete, "/api/devices/revoke-1/credentials")).Status);
        await lost.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(CredentialCheck.UnknownUser, Fleet.Host.Credentials.Verify("revoke-1", System.Text.Encoding.UTF8.GetBytes(secretText)));
        var again = await connection.ConnectAsync();
        Assert.False(again.IsConnected);
        Assert.Equal("BadUserNameOrPassword", again.ResultCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Fleet.Operator.SendAsync(HttpMethod.Delete, "/api/devices/revoke-1/credentials")).Status);
    }
}

/// <summary>One orchestrator shared by the refusal tests (each uses its own device ids).</summary>
public sealed class OrchestratorFixture : IAsyncLifetime
{
    public TestOrchestrator Fleet { get; private set; } = null!;

    public async Task InitializeAsync() => Fleet = await TestOrchestrator.StartAsync();

    public async Task DisposeAsync() => await Fleet.DisposeAsync();
}
