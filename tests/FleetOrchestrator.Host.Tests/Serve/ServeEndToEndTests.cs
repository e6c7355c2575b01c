using System.Net;
using FleetOrchestrator.Firmware.Signing;
using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.Host.Tests.Support;
using FleetOrchestrator.L072.Images;
using FleetOrchestrator.Simulation.Devices;

namespace FleetOrchestrator.Host.Tests.Serve;

/// <summary>
/// What a new user does with <c>fleet serve</c>, over real HTTP and MQTT: provision a device, let it connect with the
/// secret it was given and the public key file from the data directory, upload an image, order the update, watch it.
/// </summary>
public sealed class ServeEndToEndTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_device_provisioned_over_the_api_is_updated_to_an_uploaded_artifact()
    {
        await using var fleet = await TestOrchestrator.StartAsync();
        const string id = "serve-dev-1";

        var registered = await fleet.Operator.RegisterAsync(id);
        Assert.Equal(HttpStatusCode.Created, registered.Status);
        var secret = registered.Body.GetProperty("secret").GetString()!;
        Assert.Equal(fleet.Host.BrokerEndpoint.Port, registered.Body.GetProperty("mqttPort").GetInt32());
        Assert.Equal($"fleet/v1/devices/{id}/cmd", registered.Body.GetProperty("commandTopic").GetString());

        // The device knows only what an installer gives it: host, port, its id and secret, and the public key file.
        var publicKey = ManifestVerificationKey.FromPem(await File.ReadAllTextAsync(fleet.PublicKeyPath));
        using var deviceHttp = new HttpClient();
        await using var device = new SimulatedDevice(new SimulatedDeviceOptions(id, secret), new SimulationEnvironment
        {
            BrokerHost = registered.Body.GetProperty("mqttHost").GetString()!,
            BrokerPort = registered.Body.GetProperty("mqttPort").GetInt32(),
            Http = deviceHttp,
            TrustedKeys = new Dictionary<string, ManifestVerificationKey> { [publicKey.KeyId] = publicKey },
        });
        await device.StartAsync();
        var known = await Poll.UntilAsync(() => fleet.Operator.GetJsonAsync($"/api/devices/{id}"), a => a.Status == HttpStatusCode.OK, Deadline, "the device reporting in");
        Assert.Equal("1.0.0", known.Body.GetProperty("summary").GetProperty("runningVersion").GetString());

        var upload = await fleet.Operator.UploadAsync(SyntheticImage.Create(new SemanticVersion(1, 1, 0)), "1.1.0");
        Assert.Equal(HttpStatusCode.Created, upload.Status);
        var artifactId = upload.Body.GetProperty("artifact").GetProperty("id").GetString()!;

        var order = await fleet.Operator.PostJsonAsync("/api/updates", new { artifactId, deviceIds = new[] { id } });
        Assert.Equal(HttpStatusCode.OK, order.Status);
        Assert.Equal(1, order.Body.GetProperty("accepted").GetInt32());

        var done = await Poll.UntilAsync(() => fleet.Operator.GetJsonAsync($"/api/devices/{id}"),
            a => a.Body.GetProperty("summary").GetProperty("lastOutcome").GetString() is not null, Deadline, "the saga finishing");
        var summary = done.Body.GetProperty("summary");
        Assert.Equal("updated", summary.GetProperty("lastOutcome").GetString());
        Assert.Equal("completed", summary.GetProperty("state").GetString());
        Assert.Equal("1.1.0", summary.GetProperty("runningVersion").GetString());
        Assert.Equal(artifactId, summary.GetProperty("targetArtifactId").GetString());
        Assert.All(done.Body.GetProperty("history").EnumerateArray(), h => Assert.Equal(artifactId, h.GetProperty("artifactId").GetString()));
        var history = done.Body.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("event").GetString()).ToList();
        Assert.True(history.Count >= 3, $"the saga history should show its steps, got [{string.Join(", ", history)}]");
        Assert.Equal(new SemanticVersion(1, 1, 0), device.Truth().RunningVersion);

        // The fleet list is a projection of the journal: it catches up on its own.
        var listed = await Poll.UntilAsync(() => fleet.Operator.GetJsonAsync("/api/devices"),
            a => a.Body.GetProperty("devices").EnumerateArray().Any(d => d.GetProperty("deviceId").GetString() == id &&
                                                                        d.GetProperty("runningVersion").GetString() == "1.1.0"),
            Deadline, "the fleet list showing 1.1.0");
        Assert.Equal(1, listed.Body.GetProperty("total").GetInt32());
        Assert.Equal(artifactId, listed.Body.GetProperty("devices")[0].GetProperty("targetArtifactId").GetString());

        // Its saga has finished, so nothing references the artifact any more: once the read model shows that, it can
        // be deleted.
        await Poll.UntilAsync(() => fleet.Operator.GetJsonAsync("/api/devices"),
            a => a.Body.GetProperty("devices")[0].GetProperty("state").GetString() == "completed", Deadline,
            "the fleet list showing the saga completed");
        var deleted = await fleet.Operator.SendAsync(HttpMethod.Delete, $"/api/artifacts/{artifactId}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
    }
}
