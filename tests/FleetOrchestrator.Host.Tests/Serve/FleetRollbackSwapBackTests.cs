using System.Net;
using System.Text.Json;
using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.Host.Tests.Support;
using FleetOrchestrator.L072.Agent;
using FleetOrchestrator.L072.Images;
using FleetOrchestrator.Simulation.Devices;

namespace FleetOrchestrator.Host.Tests.Serve;

/// <summary>
/// Fleet rollback end to end on the L072 model (PROTOCOL.md §8.8): a completed rollout rolled back by the operator
/// swaps every device back to the image still in its other bank with no download, and a device whose other bank was
/// damaged downloads the previous image under its downgrade manifest; both end on the old version, committed.
/// </summary>
public sealed class FleetRollbackSwapBackTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);
    private static readonly SemanticVersion Old = new(1, 0, 0);

    private static readonly Dictionary<string, Dictionary<string, string>> TwoDevices = new()
    {
        ["swap-1"] = new() { ["cell"] = "c1" }, ["swap-2"] = new() { ["cell"] = "c2" },
    };

    private static JsonElement Policy() => JsonSerializer.Deserialize<JsonElement>("""
        {
          "name": "swap back", "target": { "versions": ["1.0.0"] },
          "waves": [ { "name": "canary", "devices": 1 }, { "percent": 100 } ],
          "gate": { "minSample": 1, "successAtLeast": 1.0, "failuresAtMost": 0, "soak": "00:00:00" }
        }
        """);

    private static async Task<string> UploadAsync(TestOrchestrator fleet, string version, bool allowDowngrade)
    {
        var image = new ByteArrayContent(SyntheticImage.Create(SemanticVersion.Parse(version)));
        var upload = await fleet.Operator.SendAsync(HttpMethod.Post,
            $"/api/artifacts?version={version}&fileName=app.bin&allowDowngrade={allowDowngrade}", image);
        Assert.Equal(HttpStatusCode.Created, upload.Status);
        return upload.Body.GetProperty("artifact").GetProperty("id").GetString()!;
    }

    private static Task<Api.Answer> StatusIsAsync(TestOrchestrator fleet, string id, string status) =>
        Poll.UntilAsync(() => fleet.Operator.GetJsonAsync($"/api/rollouts/{id}"),
            a => a.Body.GetProperty("status").GetString() == status, Deadline, $"rollout {id} reaching {status}");

    /// <summary>Runs a rollout of 1.1.0 to completion; returns the rollout id.</summary>
    private static async Task<string> CompletedRolloutAsync(TestOrchestrator fleet, SimulatedFleet devices)
    {
        var artifactId = await UploadAsync(fleet, "1.1.0", allowDowngrade: false);
        var previousArtifactId = await UploadAsync(fleet, "1.0.0", allowDowngrade: true);
        var started = await fleet.Operator.PostJsonAsync("/api/rollouts",
            new { id = "swap", artifactId, previousArtifactId, policy = Policy() });
        Assert.Equal(HttpStatusCode.Created, started.Status);
        await StatusIsAsync(fleet, "swap", "Completed");
        Assert.All(devices.Devices, d => Assert.Equal(new SemanticVersion(1, 1, 0), d.Truth().RunningVersion));
        Assert.All(devices.Devices, d => Assert.Equal(1, d.Counters.DownloadsAccepted));
        return "swap";
    }

    private static async Task<string[]> HistoryDetailsAsync(TestOrchestrator fleet, string deviceId)
    {
        var device = await fleet.Operator.GetJsonAsync($"/api/devices/{deviceId}");
        Assert.Equal(HttpStatusCode.OK, device.Status);
        return device.Body.GetProperty("history").EnumerateArray()
            .Select(h => h.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String
                ? d.GetString()!
                : "")
            .ToArray();
    }

    private static async Task<string> WhyAsync(TestOrchestrator fleet, string rolloutId, string deviceId)
    {
        var why = await fleet.Operator.GetJsonAsync($"/api/rollouts/{rolloutId}/devices/{deviceId}/why");
        Assert.Equal(HttpStatusCode.OK, why.Status);
        Assert.Equal("RolledBack", why.Body.GetProperty("step").GetString());
        return why.Body.GetProperty("detail").GetString()!;
    }

    private static void OnOldVersionCommitted(SimulatedDevice device)
    {
        var truth = device.Truth();
        Assert.Equal(Old, truth.RunningVersion);
        Assert.Equal(UpdatePhase.Committed, truth.Phase);
    }

    [Fact]
    public async Task A_rolled_back_rollout_swaps_every_device_back_to_the_image_in_its_other_bank_with_no_download()
    {
        await using var fleet = await TestOrchestrator.StartAsync();
        await using var devices = await SimulatedFleet.StartAsync(fleet, TwoDevices, Deadline);
        var id = await CompletedRolloutAsync(fleet, devices);

        var rollback = await fleet.Operator.PostJsonAsync($"/api/rollouts/{id}/rollback",
            new { reason = "field reports" });

        Assert.Equal(HttpStatusCode.OK, rollback.Status);
        await StatusIsAsync(fleet, id, "RolledBack");
        foreach (var device in devices.Devices)
        {
            OnOldVersionCommitted(device);
            Assert.Equal(1, device.Counters.DownloadsAccepted); // the rollout's own download, none for the rollback
            var history = await HistoryDetailsAsync(fleet, device.DeviceId);
            Assert.Contains(history, d => d.StartsWith("swap back (no download)", StringComparison.Ordinal));
            Assert.DoesNotContain(history, d => d.Contains("download previous", StringComparison.Ordinal));
            Assert.EndsWith("; swap back (no download)", await WhyAsync(fleet, id, device.DeviceId));
        }
    }

    [Fact]
    public async Task A_device_whose_other_bank_was_damaged_downloads_the_previous_image_under_its_downgrade_manifest()
    {
        await using var fleet = await TestOrchestrator.StartAsync();
        await using var devices = await SimulatedFleet.StartAsync(fleet, TwoDevices, Deadline);
        var id = await CompletedRolloutAsync(fleet, devices);
        var damaged = devices.Devices.Single(d => d.DeviceId == "swap-1");
        var intact = devices.Devices.Single(d => d.DeviceId == "swap-2");
        damaged.DamageInactiveBank();

        var rollback = await fleet.Operator.PostJsonAsync($"/api/rollouts/{id}/rollback",
            new { reason = "field reports" });

        Assert.Equal(HttpStatusCode.OK, rollback.Status);
        await StatusIsAsync(fleet, id, "RolledBack");
        OnOldVersionCommitted(damaged);
        OnOldVersionCommitted(intact);
        Assert.Equal(2, damaged.Counters.DownloadsAccepted);
        Assert.Equal(1, intact.Counters.DownloadsAccepted);
        var damagedHistory = await HistoryDetailsAsync(fleet, damaged.DeviceId);
        Assert.Contains(damagedHistory,
            d => d.Contains("download previous (downgrade: 1.1.0 to 1.0.0", StringComparison.Ordinal)
                 && d.Contains("downgradeAllowed=true", StringComparison.Ordinal));
        Assert.DoesNotContain(damagedHistory, d => d.StartsWith("swap back", StringComparison.Ordinal));
        Assert.Contains(await HistoryDetailsAsync(fleet, intact.DeviceId),
            d => d.StartsWith("swap back (no download)", StringComparison.Ordinal));
        Assert.EndsWith("; download previous (downgrade)", await WhyAsync(fleet, id, damaged.DeviceId));
        Assert.EndsWith("; swap back (no download)", await WhyAsync(fleet, id, intact.DeviceId));
    }
}
