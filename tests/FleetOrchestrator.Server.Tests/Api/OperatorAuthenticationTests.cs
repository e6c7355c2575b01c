using System.Net;
using System.Net.Http.Json;
using FleetOrchestrator.Server.Tests.Support;
using Microsoft.AspNetCore.Mvc;

namespace FleetOrchestrator.Server.Tests.Api;

public sealed class OperatorAuthenticationTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Theory]
    [InlineData("/api/artifacts")]
    [InlineData("/api/devices")]
    [InlineData("/api/devices/dev-1")]
    public async Task Without_a_key_the_api_is_401_with_a_bearer_challenge(string path)
    {
        using var response = await fixture.Host.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = response.Headers.WwwAuthenticate.Single();
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Equal("realm=\"fleet-operators\"", challenge.Parameter);
        Assert.Contains("Bearer", (await response.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail);
    }

    [Fact]
    public async Task A_wrong_key_is_401_with_invalid_token()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/artifacts") { Headers = { Authorization = ServerHost.Operator("not-the-key") } };
        using var response = await fixture.Host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("error=\"invalid_token\"", response.Headers.WwwAuthenticate.Single().Parameter);
    }

    [Fact]
    public async Task A_key_differing_only_in_its_last_character_is_refused()
    {
        var nearMiss = ServerHost.OperatorKey[..^1] + (ServerHost.OperatorKey[^1] == 'x' ? 'y' : 'x');
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/artifacts") { Headers = { Authorization = ServerHost.Operator(nearMiss) } };
        using var response = await fixture.Host.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Device_credentials_do_not_open_the_operator_api()
    {
        var request = ServerHost.AsDevice(HttpMethod.Get, "/api/artifacts");
        using var response = await fixture.Host.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task An_upload_without_a_key_stores_nothing()
    {
        var before = fixture.Host.Store.List().Count;
        using var response = await fixture.Host.Client.PostAsync("/api/artifacts?version=1.0.0", new ByteArrayContent(TestImages.ValidBin(512, seed: 40)));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(before, fixture.Host.Store.List().Count);
    }

    [Fact]
    public async Task The_right_key_opens_the_api()
    {
        using var response = await fixture.Host.Client.SendAsync(ServerHost.AsOperator(HttpMethod.Get, "/api/artifacts"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Healthz_needs_no_key()
    {
        using var response = await fixture.Host.Client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }
}
