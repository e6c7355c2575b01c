using System.Diagnostics;
using System.Net;
using System.Net.ServerSentEvents;
using System.Text.Json;
using FleetOrchestrator.Server.Dashboard;
using FleetOrchestrator.Server.Tests.Fakes;
using FleetOrchestrator.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace FleetOrchestrator.Server.Tests.Dashboard;

/// <summary>The dashboard over HTTP: its page and assets from the assembly, and the event stream behind the operator
/// key.</summary>
public sealed class DashboardEndpointTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private ServerHost _server = null!;

    public async Task InitializeAsync() => _server = await ServerHost.StartAsync(services: s =>
    {
        s.AddSingleton<CountingDashboardReads>();
        s.AddSingleton<IDashboardReads>(sp => sp.GetRequiredService<CountingDashboardReads>());
        s.AddFleetDashboard();
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("/", "text/html", "id=\"login-form\"")]
    [InlineData("/dashboard/dashboard.js", "text/javascript", "/api/events")]
    [InlineData("/dashboard/dashboard.css", "text/css", ".wave")]
    public async Task The_page_and_its_assets_are_served_from_the_assembly_without_a_key(string path, string type,
        string content)
    {
        using var response = await _server.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(content, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/dashboard/missing.js")]
    [InlineData("/dashboard/..%2Ffleet.db")]
    public async Task An_unknown_asset_is_a_problem_404(string path)
    {
        using var response = await _server.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_event_stream_needs_the_operator_key()
    {
        using var response = await _server.Client.GetAsync("/api/events");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_event_stream_says_hello_then_pushes_a_changed_rollout()
    {
        _server.Rollouts.Known["r-live"] = "Running";
        var hub = _server.App.Services.GetRequiredService<DashboardHub>();
        using var timeout = new CancellationTokenSource(Deadline);
        using var request = ServerHost.AsOperator(HttpMethod.Get, "/api/events");
        using var response = await _server.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead,
            timeout.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        await using var body = await response.Content.ReadAsStreamAsync(timeout.Token);
        await using var events = SseParser.Create(body).EnumerateAsync(timeout.Token).GetAsyncEnumerator(timeout.Token);

        Assert.True(await events.MoveNextAsync());
        Assert.Equal(DashboardHub.HelloEvent, events.Current.EventType);
        Assert.Equal(1, hub.ClientCount);

        // One call, so the ticker (real time here) and this flush cannot split it: whichever sends it, the first
        // update with a rollout carries all of it.
        hub.DeviceEventSeen("dev-7", "r-live", "Updated");
        await hub.FlushAsync(timeout.Token);
        JsonElement update;
        do
        {
            Assert.True(await events.MoveNextAsync());
            update = JsonDocument.Parse(events.Current.Data).RootElement;
        }
        while (events.Current.EventType != DashboardHub.UpdateEvent
            || update.GetProperty("rollouts").GetArrayLength() == 0);

        var rollout = update.GetProperty("rollouts")[0];
        Assert.Equal("r-live", rollout.GetProperty("rolloutId").GetString());
        Assert.Equal("Running", rollout.GetProperty("status").GetString());
        Assert.Equal(1, update.GetProperty("outcomes").GetProperty("Updated").GetInt32());
        Assert.Equal(["dev-7"], update.GetProperty("devices").EnumerateArray().Select(d => d.GetString()));
    }

    [Fact]
    public async Task An_open_event_stream_ends_when_the_server_stops_instead_of_holding_the_shutdown()
    {
        using var timeout = new CancellationTokenSource(Deadline);
        using var request = ServerHost.AsOperator(HttpMethod.Get, "/api/events");
        using var response = await _server.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead,
            timeout.Token);
        await using var body = await response.Content.ReadAsStreamAsync(timeout.Token);
        await using var events = SseParser.Create(body).EnumerateAsync(timeout.Token).GetAsyncEnumerator(timeout.Token);
        Assert.True(await events.MoveNextAsync());

        var stopping = Stopwatch.StartNew();
        await _server.App.StopAsync(timeout.Token);
        stopping.Stop();

        // Kestrel's own shutdown timeout is 30 s; a stream left open would hold the stop that long.
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(10), $"stopping took {stopping.Elapsed}");
        while (await events.MoveNextAsync()) Assert.NotEqual(DashboardHub.UpdateEvent, events.Current.EventType);
    }
}
