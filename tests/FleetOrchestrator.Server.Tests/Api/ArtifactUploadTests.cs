using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using FleetOrchestrator.Firmware.Crc;
using FleetOrchestrator.Firmware.Manifests;
using FleetOrchestrator.Firmware.Signing;
using FleetOrchestrator.Server.Api;
using FleetOrchestrator.Server.Artifacts;
using FleetOrchestrator.Server.Hosting;
using FleetOrchestrator.Server.Json;
using FleetOrchestrator.Server.Tests.Support;

namespace FleetOrchestrator.Server.Tests.Api;

public sealed class ArtifactUploadTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private ServerHost Host => fixture.Host;

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static IReadOnlyList<string> Errors(JsonElement problem) =>
        [.. problem.GetProperty("errors").EnumerateArray().Select(e => e.GetString()!)];

    [Fact]
    public async Task A_valid_bin_is_stored_under_its_sha256_with_a_manifest_signed_by_the_server_key()
    {
        var image = TestImages.ValidBin(4096, seed: 11);
        var now = Host.Time.GetUtcNow();
        using var response = await Host.UploadAsync(image, "app-v1.4.0.bin", "1.4.0", "&minBootloader=1.1.0");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<UploadResponse>(FleetJson.Options))!;
        var expectedId = Convert.ToHexStringLower(SHA256.HashData(image));
        Assert.True(body.Created);
        Assert.Equal(expectedId, body.Artifact.Id);
        Assert.Equal($"/api/artifacts/{expectedId}", response.Headers.Location!.OriginalString);
        Assert.Equal("1.4.0", body.Artifact.Version.ToString());
        Assert.Equal(4096, body.Artifact.Size);
        Assert.Equal(ManifestJson.FormatCrc(Stm32Crc.Compute(image)), body.Artifact.Crc32);
        Assert.Equal("app-v1.4.0.bin", body.Artifact.OriginalFileName);
        Assert.Equal(now, body.Artifact.UploadedAt);

        // A device holding the public key the server wrote at first start accepts the manifest, and it describes these bytes.
        var secrets = (ServerSecrets)Host.App.Services.GetService(typeof(ServerSecrets))!;
        using var publicKey = ManifestVerificationKey.FromPem(await File.ReadAllTextAsync(secrets.PublicKeyPath));
        var dto = body.Artifact.SignedManifest;
        var verdict = ManifestVerifier.Verify(SignedManifest.FromBase64(dto.ManifestBase64, dto.SignatureBase64, dto.KeyId), publicKey);
        Assert.True(verdict.IsValid, verdict.FailureReason);
        Assert.Empty(ManifestVerifier.CompareImage(verdict.Manifest!, image));
        Assert.Equal("1.1.0", verdict.Manifest!.MinimumBootloader.ToString());

        var dir = Path.Combine(Host.Store.RootDirectory, expectedId);
        Assert.Equal(image, await File.ReadAllBytesAsync(Path.Combine(dir, ArtifactStore.ImageFileName)));
        Assert.True(File.Exists(Path.Combine(dir, ArtifactStore.ManifestFileName)));
        Assert.True(File.Exists(Path.Combine(dir, ArtifactStore.MetadataFileName)));
    }

    [Fact]
    public async Task The_same_image_as_multipart_hex_is_the_same_artifact_as_the_bin()
    {
        var image = TestImages.ValidBin(3000, seed: 12);
        var binId = await Host.UploadValidAsync(image, "1.5.0");

        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(TestImages.Hex(image)), "file", "app.hex" },
            { new StringContent("1.5.0"), "version" },
        };
        using var response = await Host.Client.SendAsync(ServerHost.AsOperator(HttpMethod.Post, "/api/artifacts", form));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<UploadResponse>(FleetJson.Options))!;
        Assert.False(body.Created);
        Assert.Equal(binId, body.Artifact.Id);
    }

    [Fact]
    public async Task A_multipart_hex_upload_of_a_new_image_is_created_with_the_form_fields()
    {
        var image = TestImages.ValidBin(1024, seed: 13);
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(TestImages.Hex(image)), "file", "fw.hex" },
            { new StringContent("3.0.1"), "version" },
            { new StringContent("stm32l072cz"), "target" },
            { new StringContent("true"), "allowDowngrade" },
        };
        using var response = await Host.Client.SendAsync(ServerHost.AsOperator(HttpMethod.Post, "/api/artifacts", form));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var artifact = (await response.Content.ReadFromJsonAsync<UploadResponse>(FleetJson.Options))!.Artifact;
        Assert.Equal("3.0.1", artifact.Version.ToString());
        Assert.True(artifact.DowngradeAllowed);
        Assert.Equal(Firmware.Images.ImageFormat.IntelHex, artifact.SourceFormat);
        Assert.Equal("fw.hex", artifact.OriginalFileName);
    }

    [Fact]
    public async Task Re_uploading_the_same_bytes_and_fields_changes_nothing()
    {
        var image = TestImages.ValidBin(2048, seed: 14);
        using var first = await Host.UploadAsync(image, "a.bin", "1.6.0");
        var created = (await first.Content.ReadFromJsonAsync<UploadResponse>(FleetJson.Options))!;
        var manifestPath = Path.Combine(Host.Store.RootDirectory, created.Artifact.Id, ArtifactStore.ManifestFileName);
        var manifestBefore = await File.ReadAllBytesAsync(manifestPath);
        Host.Time.Advance(TimeSpan.FromMinutes(5));

        using var again = await Host.UploadAsync(image, "renamed.bin", "1.6.0");

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var body = (await again.Content.ReadFromJsonAsync<UploadResponse>(FleetJson.Options))!;
        Assert.False(body.Created);
        Assert.Equal(created.Artifact, body.Artifact);
        Assert.Equal(manifestBefore, await File.ReadAllBytesAsync(manifestPath));
    }

    [Fact]
    public async Task The_same_bytes_under_another_version_is_409_naming_the_stored_version()
    {
        var image = TestImages.ValidBin(2048, seed: 15);
        var id = await Host.UploadValidAsync(image, "1.7.0");

        using var response = await Host.UploadAsync(image, "a.bin", "1.8.0");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await ProblemAsync(response);
        Assert.Contains("1.7.0", problem.GetProperty("detail").GetString());
        Assert.Equal(id, problem.GetProperty("artifactId").GetString());
    }

    [Fact]
    public async Task Malformed_hex_is_400_naming_the_line()
    {
        var hex = TestImages.HexWithBadChecksumOnLine(TestImages.ValidBin(256), line: 3);
        var before = Host.Store.List().Count;
        using var response = await Host.UploadAsync(hex, "broken.hex");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await ProblemAsync(response);
        Assert.Contains("line 3", Errors(problem).Single());
        Assert.Contains("broken.hex", problem.GetProperty("detail").GetString());
        Assert.Equal(before, Host.Store.List().Count);
    }

    [Fact]
    public async Task An_image_linked_for_the_second_bank_is_422_naming_both_addresses()
    {
        var hex = TestImages.Hex(TestImages.ValidBin(1024, seed: 16), address: 0x0801_8000);
        var before = Host.Store.List().Count;
        using var response = await Host.UploadAsync(hex, "bank2.hex");

        Assert.Equal((HttpStatusCode)422, response.StatusCode);
        var errors = Errors(await ProblemAsync(response));
        Assert.Contains(errors, e => e.Contains("0x08018000", StringComparison.Ordinal) && e.Contains("0x08000000", StringComparison.Ordinal));
        Assert.Equal(before, Host.Store.List().Count);
    }

    [Fact]
    public async Task An_image_with_several_problems_lists_them_all()
    {
        var image = TestImages.ValidBin(100 * 1024, seed: 17);
        image[4] = 0xC0; // reset handler even: not Thumb
        using var response = await Host.UploadAsync(image, "big.bin");

        Assert.Equal((HttpStatusCode)422, response.StatusCode);
        var errors = Errors(await ProblemAsync(response));
        Assert.Contains(errors, e => e.Contains("too large", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("even", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("", "version is required")]
    [InlineData("1.2", "not a version")]
    public async Task A_missing_or_malformed_version_is_400(string version, string expected)
    {
        using var response = await Host.UploadAsync(TestImages.ValidBin(), "a.bin", version);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, (await ProblemAsync(response)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task An_empty_body_is_400()
    {
        using var response = await Host.UploadAsync([], "a.bin");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("empty", (await ProblemAsync(response)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Stored_artifacts_are_listed_and_fetched_by_id()
    {
        var id = await Host.UploadValidAsync(TestImages.ValidBin(512, seed: 18), "4.0.0");

        using var list = await Host.Client.SendAsync(ServerHost.AsOperator(HttpMethod.Get, "/api/artifacts"));
        var all = (await list.Content.ReadFromJsonAsync<List<ArtifactView>>(FleetJson.Options))!;
        Assert.Contains(all, a => a.Id == id && a.Version.ToString() == "4.0.0");

        using var one = await Host.Client.SendAsync(ServerHost.AsOperator(HttpMethod.Get, $"/api/artifacts/{id}"));
        Assert.Equal(id, (await one.Content.ReadFromJsonAsync<ArtifactView>(FleetJson.Options))!.Id);

        using var missing = await Host.Client.SendAsync(ServerHost.AsOperator(HttpMethod.Get, $"/api/artifacts/{new string('b', 64)}"));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Json_is_camel_case_with_versions_and_crc_as_strings()
    {
        var id = await Host.UploadValidAsync(TestImages.ValidBin(512, seed: 19), "4.1.0");
        using var one = await Host.Client.SendAsync(ServerHost.AsOperator(HttpMethod.Get, $"/api/artifacts/{id}"));
        var json = await one.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal("4.1.0", json.GetProperty("version").GetString());
        Assert.StartsWith("0x", json.GetProperty("crc32").GetString(), StringComparison.Ordinal);
        Assert.Equal("binary", json.GetProperty("sourceFormat").GetString());
        Assert.True(json.GetProperty("signedManifest").TryGetProperty("manifestBase64", out _));
    }

    [Fact]
    public async Task An_upload_over_the_size_limit_is_413()
    {
        var content = new ByteArrayContent(new byte[(1024 * 1024) + 1]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await Host.Client.SendAsync(ServerHost.AsOperator(HttpMethod.Post, "/api/artifacts?version=1.0.0", content));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task A_chunked_multipart_upload_over_the_size_limit_is_413()
    {
        var file = new StreamContent(new MemoryStream(new byte[(1024 * 1024) + 1]));
        using var form = new MultipartFormDataContent { { file, "file", "huge.bin" }, { new StringContent("1.0.0"), "version" } };
        var request = ServerHost.AsOperator(HttpMethod.Post, "/api/artifacts", form);
        request.Headers.TransferEncodingChunked = true;
        using var response = await Host.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task A_raw_body_labelled_form_urlencoded_as_curl_sends_it_is_still_the_image()
    {
        var image = TestImages.ValidBin(1024, seed: 21);
        var content = new ByteArrayContent(image);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        using var response = await Host.Client.SendAsync(ServerHost.AsOperator(HttpMethod.Post, "/api/artifacts?version=5.0.0&fileName=app.bin", content));

        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var body = (await response.Content.ReadFromJsonAsync<UploadResponse>(FleetJson.Options))!;
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(image)), body.Artifact.Id);
    }

    [Fact]
    public async Task Concurrent_uploads_of_the_same_image_store_it_once()
    {
        var image = TestImages.ValidBin(2048, seed: 22);
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Host.UploadAsync(image, "a.bin", "6.0.0")));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.Equal(7, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        var id = Convert.ToHexStringLower(SHA256.HashData(image));
        Assert.Single(Host.Store.List(), a => a.Id == id);
        foreach (var r in responses) r.Dispose();
    }
}
