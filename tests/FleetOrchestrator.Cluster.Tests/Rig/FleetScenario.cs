using System.Net.Http.Headers;
using System.Text.Json;
using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.Host.Tests.Support;

namespace FleetOrchestrator.Cluster.Tests.Rig;

/// <summary>
/// The steps an operator takes on the rig, through the operator API of one node: upload the 1.1.0 image, attach
/// simulated devices from a `fleet devices simulate` process of their own, start a staged rollout, wait for its end.
/// </summary>
public sealed class FleetScenario(ClusterRig rig, FleetNode api)
{
    public static readonly SemanticVersion Target = new(1, 1, 0);
    public static readonly TimeSpan Deadline = TimeSpan.FromMinutes(5);

    public FleetNode Api => api;

    public async Task<string> UploadTargetAsync()
    {
        var hex = Path.Combine(rig.Root, "app-1.1.0.hex");
        await using (var make = FleetProcess.Start("make-image",
                         ["model", "make-image", "--version", Target.ToString(), "--out", hex]))
            await make.WaitForLineAsync("wrote", TimeSpan.FromSeconds(60));
        var content = new ByteArrayContent(await File.ReadAllBytesAsync(hex));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var upload = await FleetApi.PostAsync(api, rig.ApiKey, $"api/artifacts?version={Target}&fileName=app.hex",
            content);
        return upload.GetProperty("artifact").GetProperty("id").GetString()!;
    }

    /// <summary>Starts the simulator process and waits until every one of its devices reports 1.0.0.</summary>
    public async Task<FleetProcess> AttachDevicesAsync(int count, string prefix, params string[] link)
    {
        var simulator = FleetProcess.Start("simulator",
        [
            "devices", "simulate", "--count", count.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--prefix", prefix, "--server", api.BaseUrl.ToString(), "--api-key", rig.ApiKey,
            "--public-key", Path.Combine(api.DataDirectory, "keys", "manifest-signing.pub.pem"), .. link,
        ]);
        try
        {
            await Poll.UntilAsync(() => FleetApi.GetAsync(api, rig.ApiKey, "api/devices?version=1.0.0&limit=1"),
                page => page.GetProperty("total").GetInt32() == count, Deadline,
                $"{count} devices reporting 1.0.0 ({simulator.Tail(5)})");
            return simulator;
        }
        catch
        {
            await simulator.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts a rollout of the uploaded image to every 1.0.0 device, in the waves given.</summary>
    public Task StartRolloutAsync(string rolloutId, string artifactId, object[] waves, int maxInFlight) =>
        FleetApi.PostJsonAsync(api, rig.ApiKey, "api/rollouts", new
        {
            id = rolloutId, artifactId, seed = 11, reason = "cluster test",
            policy = new
            {
                name = rolloutId,
                target = new { versions = new[] { "1.0.0" } },
                waves,
                gate = new { minSample = 10, successAtLeast = 0.95, failuresAtMost = 0.05, soak = "00:00:00" },
                limits = new { maxInFlight },
                onHalt = "pause",
            },
        });

    public Task<JsonElement> RolloutAsync(string rolloutId) =>
        FleetApi.GetAsync(api, rig.ApiKey, $"api/rollouts/{rolloutId}");

    public Task<JsonElement> WaitForEndAsync(string rolloutId) =>
        Poll.UntilAsync(() => RolloutAsync(rolloutId), r => r.GetProperty("status").GetString() != "Running",
            Deadline, $"rollout {rolloutId} to end");
}
