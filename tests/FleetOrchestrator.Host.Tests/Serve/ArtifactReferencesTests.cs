using System.Net;
using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.Host.Tests.Support;
using FleetOrchestrator.L072.Images;

namespace FleetOrchestrator.Host.Tests.Serve;

/// <summary>DELETE /api/artifacts/{id} asks the fleet read model whether an unfinished saga still targets the
/// artifact.</summary>
public sealed class ArtifactReferencesTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task An_artifact_targeted_by_a_running_saga_is_not_deleted()
    {
        await using var fleet = await TestOrchestrator.StartAsync();
        // Registered but never connected: its saga waits for it, unfinished.
        Assert.Equal(HttpStatusCode.Created, (await fleet.Operator.RegisterAsync("asleep-1")).Status);
        var upload = await fleet.Operator.UploadAsync(SyntheticImage.Create(new SemanticVersion(1, 2, 0)), "1.2.0");
        Assert.Equal(HttpStatusCode.Created, upload.Status);
        var artifactId = upload.Body.GetProperty("artifact").GetProperty("id").GetString()!;
        var order = await fleet.Operator.PostJsonAsync("/api/updates",
            new { artifactId, deviceIds = new[] { "asleep-1" } });
        Assert.Equal(1, order.Body.GetProperty("accepted").GetInt32());

        // The read model is a projection: wait until it shows the saga (the fleet list reads the same model).
        await Poll.UntilAsync(() => fleet.Operator.GetJsonAsync("/api/devices"),
            a => a.Body.GetProperty("devices").EnumerateArray().Any(d =>
                d.GetProperty("deviceId").GetString() == "asleep-1" && d.GetProperty("targetArtifactId")
                    .GetString() == artifactId),
            Deadline, "the fleet list showing the saga");

        var refused = await fleet.Operator.SendAsync(HttpMethod.Delete, $"/api/artifacts/{artifactId}");

        Assert.Equal(HttpStatusCode.Conflict, refused.Status);
        Assert.Equal(artifactId, refused.Body.GetProperty("artifactId").GetString());
        Assert.Equal(HttpStatusCode.OK, (await fleet.Operator.GetJsonAsync($"/api/artifacts/{artifactId}")).Status);
    }
}
