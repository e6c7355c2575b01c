using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FleetOrchestrator.Firmware.Manifests;
using FleetOrchestrator.Server.Api;
using FleetOrchestrator.Server.Artifacts;
using FleetOrchestrator.Server.Json;
using FleetOrchestrator.Server.Tests.Support;

namespace FleetOrchestrator.Server.Tests.Api;

/// <summary>
/// An artifact's life beyond the upload: the target held to the protocol's rules, one image stored for several
/// targets, deletion (refused while a saga needs it), and an image damaged on disk (shown, refused, never served).
/// </summary>
public sealed class ArtifactLifecycleTests : IAsyncLifetime
{
    private ServerHost _host = null!;

    public async Task InitializeAsync() => _host = await ServerHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("../../x")]
    [InlineData("stm32\"l072")]
    [InlineData("STM32L072CZ")]
    [InlineData("with space")]
    public async Task A_target_outside_the_protocol_rule_is_400_and_nothing_is_stored(string target)
    {
        var image = TestImages.ValidBin(2048, seed: 41);
        using var response = await _host.UploadAsync(image, "a.bin", "1.0.0", "&target=" + Uri
            .EscapeDataString(target));

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("target", problem.GetProperty("detail").GetString());
        Assert.Empty(_host.Store.List());
    }

    [Fact]
    public async Task A_target_of_6000_characters_is_400_and_is_not_echoed_whole()
    {
        var target = new string('a', 6000);
        using var response = await _host.UploadAsync(TestImages.ValidBin(2048, seed: 42), "a.bin", "1.0.0",
            "&target=" + target);

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("6000", problem.GetProperty("detail").GetString());
        Assert.DoesNotContain(target, problem.GetProperty("detail").GetString());
        Assert.Empty(_host.Store.List());
    }

    [Fact]
    public async Task The_same_image_can_be_stored_for_another_target_as_its_own_artifact()
    {
        var image = TestImages.ValidBin(2048, seed: 43);
        var first = await UploadAsync(image, FirmwareManifest.DefaultHardwareTarget, HttpStatusCode.Created);
        var other = await UploadAsync(image, "stm32l073rz", HttpStatusCode.Created);
        var again = await UploadAsync(image, "stm32l073rz", HttpStatusCode.OK);

        Assert.NotEqual(first.Artifact.Id, other.Artifact.Id);
        Assert.Equal(other.Artifact.Id, again.Artifact.Id);
        Assert.Equal("stm32l073rz", other.Artifact.HardwareTarget);
        Assert.Equal(ArtifactIds.Of(image), first.Artifact.Id);
        Assert.Equal(2, _host.Store.List().Count);
        // Each is served as the same bytes.
        Assert.Equal(image, _host.Store.ReadImage(other.Artifact.Id));
    }

    [Fact]
    public async Task An_unreferenced_artifact_is_deleted_and_then_unknown()
    {
        var id = await _host.UploadValidAsync(TestImages.ValidBin(2048, seed: 44), "1.0.0");

        using (var deleted = await _host.Client.SendAsync(ServerHost.AsOperator(HttpMethod.Delete,
            $"/api/artifacts/{id}")))
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);

        using var get = await _host.Client.SendAsync(ServerHost.AsOperator(HttpMethod.Get, $"/api/artifacts/{id}"));
        await ProblemAsync(get, HttpStatusCode.NotFound);
        using var again = await _host.Client.SendAsync(ServerHost.AsOperator(HttpMethod.Delete,
            $"/api/artifacts/{id}"));
        await ProblemAsync(again, HttpStatusCode.NotFound);
        Assert.False(Directory.Exists(Path.Combine(_host.Store.RootDirectory, id)));
    }

    [Fact]
    public async Task An_artifact_a_saga_references_is_not_deleted()
    {
        var id = await _host.UploadValidAsync(TestImages.ValidBin(2048, seed: 45), "1.0.0");
        _host.References.Reference(id);

        using var refused = await _host.Client.SendAsync(ServerHost.AsOperator(HttpMethod.Delete,
            $"/api/artifacts/{id}"));

        var problem = await ProblemAsync(refused, HttpStatusCode.Conflict);
        Assert.Equal(id, problem.GetProperty("artifactId").GetString());
        Assert.NotNull(_host.Store.Get(id));
        Assert.NotNull(_host.Store.ReadImage(id));
    }

    [Fact]
    public async Task Deleting_needs_the_operator_key()
    {
        var id = await _host.UploadValidAsync(TestImages.ValidBin(2048, seed: 46), "1.0.0");
        using var response = await _host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Delete,
            $"/api/artifacts/{id}"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.NotNull(_host.Store.Get(id));
    }

    [Fact]
    public async Task A_damaged_image_is_listed_as_damaged_refused_for_updates_and_answered_without_server_paths()
    {
        var id = await _host.UploadValidAsync(TestImages.ValidBin(2048, seed: 47), "1.0.0");
        var grantUrl = "/" + _host.Grants.Issue(ServerHost.DeviceId, id).RelativeUrl;
        // Served once, so it is hot in memory before the damage.
        using (var before = await _host.Client.SendAsync(ServerHost.AsDevice(HttpMethod.Get, grantUrl)))
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        var path = Path.Combine(_host.Store.RootDirectory, id, ArtifactStore.ImageFileName);
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[100] ^= 0x01;
        await File.WriteAllBytesAsync(path, bytes);

        var list = await _host.Client.SendAsync(ServerHost.AsOperator(HttpMethod.Get, "/api/artifacts"));
        var listed = (await list.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().Single(a => a
            .GetProperty("id").GetString() == id);
        Assert.True(listed.GetProperty("damaged").GetBoolean());
        Assert.Contains("SHA-256", listed.GetProperty("damageReason").GetString());

        using var update = await _host.Client.SendAsync(ServerHost.AsOperator(HttpMethod.Post, "/api/updates",
            JsonContent.Create(new { artifactId = id, deviceIds = new[] { "dev-1" } })));
        var refused = await ProblemAsync(update, HttpStatusCode.Conflict);
        Assert.Contains("damaged", refused.GetProperty("detail").GetString());
        Assert.Empty(_host.Updates.Orders);

        using var download = await _host.Client.SendAsync(ServerHost.AsDevice(HttpMethod.Get, grantUrl));
        Assert.Equal(HttpStatusCode.InternalServerError, download.StatusCode);
        Assert.Equal("application/problem+json", download.Content.Headers.ContentType?.MediaType);
        var text = await download.Content.ReadAsStringAsync();
        Assert.Contains(id, text);
        Assert.DoesNotContain(_host.Store.RootDirectory, text);
        Assert.DoesNotContain(Path.GetTempPath(), text);
        Assert.DoesNotContain(ArtifactStore.ImageFileName, text);
    }

    [Fact]
    public async Task A_damaged_image_found_at_start_is_listed_as_damaged()
    {
        var id = await _host.UploadValidAsync(TestImages.ValidBin(2048, seed: 48), "1.0.0");
        File.WriteAllBytes(Path.Combine(_host.Store.RootDirectory, id, ArtifactStore.ImageFileName), [1, 2, 3]);

        var reopened = new ArtifactStore(_host.Store.RootDirectory);

        Assert.Contains("3 bytes", reopened.DamageOf(id));
        Assert.True(ArtifactView.Of(reopened.Get(id)!, reopened).Damaged);
    }

    private async Task<UploadResponse> UploadAsync(byte[] image, string target, HttpStatusCode expected)
    {
        using var response = await _host.UploadAsync(image, "a.bin", "1.0.0", "&target=" + target);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{(int)response.StatusCode} {text}");
        return JsonSerializer.Deserialize<UploadResponse>(text, FleetJson.Options)!;
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
