using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.Host.Tests.Support;
using FleetOrchestrator.L072.Images;

namespace FleetOrchestrator.Host.Tests.Serve;

/// <summary>
/// The two rollout actions that need device progress on both sides, over HTTP on a real orchestrator with simulated
/// devices: a fleet rollback of a completed rollout, and a download-only rollout activated by the operator.
/// </summary>
public sealed class RolloutLifecycleTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    private static readonly Dictionary<string, Dictionary<string, string>> TwoDevices = new()
    {
        ["life-1"] = new() { ["cell"] = "c1" }, ["life-2"] = new() { ["cell"] = "c2" },
    };

    private static async Task<string> UploadAsync(TestOrchestrator fleet, string version, bool allowDowngrade = false)
    {
        var image = new ByteArrayContent(SyntheticImage.Create(SemanticVersion.Parse(version)));
        var upload = await fleet.Operator.SendAsync(HttpMethod.Post,
            $"/api/artifacts?version={version}&fileName=app.bin&allowDowngrade={allowDowngrade}", image);
        Assert.Equal(HttpStatusCode.Created, upload.Status);
        return upload.Body.GetProperty("artifact").GetProperty("id").GetString()!;
    }

    private static JsonElement Policy(bool downloadOnly) => JsonSerializer.Deserialize<JsonElement>($$"""
        {
          "name": "lifecycle", "target": { "versions": ["1.0.0"] },
          "waves": [ { "name": "canary", "devices": 1 }, { "percent": 100 } ],
          "gate": { "minSample": 1, "successAtLeast": 1.0, "failuresAtMost": 0, "soak": "00:00:00" },
          "downloadOnly": {{(downloadOnly ? "true" : "false")}}
        }
        """);

    private static Task<Api.Answer> StatusIsAsync(TestOrchestrator fleet, string id, params string[] statuses) =>
        Poll.UntilAsync(() => fleet.Operator.GetJsonAsync($"/api/rollouts/{id}"),
            a => statuses.Contains(a.Body.GetProperty("status").GetString()), Deadline,
            $"rollout {id} reaching {string.Join(" or ", statuses)}");

    [Fact]
    public async Task A_completed_rollout_rolled_back_by_the_operator_returns_every_device_to_its_old_version()
    {
        await using var fleet = await TestOrchestrator.StartAsync();
        await using var devices = await SimulatedFleet.StartAsync(fleet, TwoDevices, Deadline);
        var artifactId = await UploadAsync(fleet, "1.1.0");
        var previousArtifactId = await UploadAsync(fleet, "1.0.0", allowDowngrade: true);
        var started = await fleet.Operator.PostJsonAsync("/api/rollouts",
            new { id = "back", artifactId, previousArtifactId, policy = Policy(downloadOnly: false) });
        Assert.Equal(HttpStatusCode.Created, started.Status);
        await StatusIsAsync(fleet, "back", "Completed");
        Assert.All(devices.Devices, d => Assert.Equal(new SemanticVersion(1, 1, 0), d.Truth().RunningVersion));

        var rollback = await fleet.Operator.PostJsonAsync("/api/rollouts/back/rollback", new { reason = "field reports" });

        Assert.Equal(HttpStatusCode.OK, rollback.Status);
        var done = await StatusIsAsync(fleet, "back", "RolledBack");
        Assert.All(devices.Devices, d => Assert.Equal(new SemanticVersion(1, 0, 0), d.Truth().RunningVersion));
        Assert.Contains(done.Body.GetProperty("audit").EnumerateArray(),
            a => a.GetProperty("action").GetString() == "rollback" && a.GetProperty("why").GetString() == "field reports");
        var again = await fleet.Operator.PostJsonAsync("/api/rollouts/back/rollback", new { reason = "twice" });
        Assert.Equal(HttpStatusCode.Conflict, again.Status);
    }

    [Fact]
    public async Task A_download_only_rollout_stages_every_device_and_swaps_only_after_activate()
    {
        await using var fleet = await TestOrchestrator.StartAsync();
        await using var devices = await SimulatedFleet.StartAsync(fleet, TwoDevices, Deadline);
        var artifactId = await UploadAsync(fleet, "1.1.0");
        var started = await fleet.Operator.PostJsonAsync("/api/rollouts",
            new { id = "staged", artifactId, policy = Policy(downloadOnly: true) });
        Assert.Equal(HttpStatusCode.Created, started.Status);
        Assert.Equal("Staging", started.Body.GetProperty("status").GetString());

        foreach (var id in TwoDevices.Keys)
        {
            await Poll.UntilAsync(() => fleet.Operator.GetJsonAsync($"/api/devices/{id}"),
                a => a.Body.GetProperty("summary").GetProperty("state").GetString() == "staged", Deadline,
                $"{id} staging the image");
        }
        Assert.All(devices.Devices, d => Assert.Equal(new SemanticVersion(1, 0, 0), d.Truth().RunningVersion));
        var why = await fleet.Operator.GetJsonAsync("/api/rollouts/staged/devices/life-1/why");
        Assert.Equal("activation", why.Body.GetProperty("waitingFor").GetString());

        var activate = await fleet.Operator.PostJsonAsync("/api/rollouts/staged/activate", new { reason = "window" });

        Assert.Equal(HttpStatusCode.OK, activate.Status);
        await StatusIsAsync(fleet, "staged", "Completed");
        Assert.All(devices.Devices, d => Assert.Equal(new SemanticVersion(1, 1, 0), d.Truth().RunningVersion));
        Assert.Equal(HttpStatusCode.Conflict,
            (await fleet.Operator.PostJsonAsync("/api/rollouts/staged/activate", new { reason = "again" })).Status);
    }
}
