using System.Net;
using System.Net.ServerSentEvents;
using System.Text.Json;
using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.Host.Dashboard;
using FleetOrchestrator.Host.Tests.Support;
using FleetOrchestrator.L072.Images;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FleetOrchestrator.Host.Tests.Serve;

/// <summary>
/// <c>GET /api/events</c> on a real orchestrator: the saga and rollout feeds reach a connected client as coalesced
/// updates, each concluded saga counted once, the rollout's waves pushed until it completes, and the fleet's version
/// counts following the devices.
/// </summary>
public sealed class DashboardEventsTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    private static readonly Dictionary<string, Dictionary<string, string>> TwoDevices = new()
    {
        ["dash-1"] = new() { ["cell"] = "c1" }, ["dash-2"] = new() { ["cell"] = "c2" },
    };

    [Fact]
    public async Task The_feeds_are_followed_only_while_a_dashboard_is_connected()
    {
        await using var fleet = await TestOrchestrator.StartAsync();
        var pump = fleet.Host.Web.Services.GetServices<IHostedService>().OfType<DashboardFeedPump>().Single();
        Assert.False(pump.Following);

        using (var timeout = new CancellationTokenSource(Deadline))
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/api/events"))
        using (var response = await fleet.Operator.SendAsync(request, HttpCompletionOption.ResponseHeadersRead,
                   timeout.Token))
        {
            await using var body = await response.Content.ReadAsStreamAsync(timeout.Token);
            await using var events = SseParser.Create(body).EnumerateAsync(timeout.Token)
                .GetAsyncEnumerator(timeout.Token);
            Assert.True(await events.MoveNextAsync());
            Assert.True(pump.Following);
        }

        await Poll.UntilAsync(() => Task.FromResult(pump.Following), following => !following, Deadline,
            "the feeds let go once the last dashboard left");
    }

    [Fact]
    public async Task A_rollout_reaches_a_connected_client_as_pushed_updates_until_it_completes()
    {
        await using var fleet = await TestOrchestrator.StartAsync();
        await using var devices = await SimulatedFleet.StartAsync(fleet, TwoDevices, Deadline);
        var upload = await fleet.Operator.UploadAsync(SyntheticImage.Create(SemanticVersion.Parse("1.1.0")), "1.1.0");
        var artifactId = upload.Body.GetProperty("artifact").GetProperty("id").GetString()!;
        using var timeout = new CancellationTokenSource(Deadline);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/events");
        using var response = await fleet.Operator.SendAsync(request, HttpCompletionOption.ResponseHeadersRead,
            timeout.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var body = await response.Content.ReadAsStreamAsync(timeout.Token);
        await using var events = SseParser.Create(body).EnumerateAsync(timeout.Token).GetAsyncEnumerator(timeout.Token);
        Assert.True(await events.MoveNextAsync());
        Assert.Equal("hello", events.Current.EventType);
        var hello = JsonDocument.Parse(events.Current.Data).RootElement;
        Assert.Equal(2, hello.GetProperty("fleet").GetProperty("versions").GetProperty("1.0.0").GetInt32());

        var started = await fleet.Operator.PostJsonAsync("/api/rollouts", new
        {
            id = "pushed", artifactId,
            policy = JsonSerializer.Deserialize<JsonElement>("""
                { "name": "pushed", "target": { "versions": ["1.0.0"] }, "waves": [ { "percent": 100 } ],
                  "gate": { "minSample": 1, "successAtLeast": 1.0, "failuresAtMost": 0, "soak": "00:00:00" } }
                """),
        });
        Assert.Equal(HttpStatusCode.Created, started.Status);

        var updated = 0;
        var lastSeq = hello.GetProperty("nextSeq").GetInt64() - 1;
        string? status = null;
        var newVersion = 0;
        while (status != "Completed" || updated < 2 || newVersion < 2)
        {
            Assert.True(await events.MoveNextAsync(), "the stream ended");
            if (events.Current.EventType != "update") continue;
            var update = JsonDocument.Parse(events.Current.Data).RootElement;
            Assert.Equal(lastSeq + 1, update.GetProperty("seq").GetInt64());
            lastSeq++;
            if (update.GetProperty("outcomes").TryGetProperty("Updated", out var n)) updated += n.GetInt32();
            foreach (var rollout in update.GetProperty("rollouts").EnumerateArray())
                if (rollout.GetProperty("rolloutId").GetString() == "pushed")
                    status = rollout.GetProperty("status").GetString();
            if (update.GetProperty("fleet") is { ValueKind: JsonValueKind.Object } counts
                && counts.GetProperty("versions").TryGetProperty("1.1.0", out var v))
                newVersion = v.GetInt32();
        }

        Assert.Equal(2, updated);
        Assert.All(devices.Devices, d => Assert.Equal(new SemanticVersion(1, 1, 0), d.Truth().RunningVersion));
    }
}
