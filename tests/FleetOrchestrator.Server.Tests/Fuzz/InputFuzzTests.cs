using System.Net;
using System.Net.Http.Headers;
using System.Text;
using FleetOrchestrator.Firmware.Signing;
using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.Server.Artifacts;
using FleetOrchestrator.Server.Downloads;
using FleetOrchestrator.Server.Tests.Fakes;
using FleetOrchestrator.Server.Tests.Support;

namespace FleetOrchestrator.Server.Tests.Fuzz;

/// <summary>
/// Seeded mutations of valid inputs against every parser at the HTTP edge: each must end in a named outcome with a
/// reason, never an exception or a 500. Seeds are fixed so a failure reproduces.
/// </summary>
public sealed class InputFuzzTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static byte[] Mutate(Random random, byte[] valid)
    {
        var bytes = (byte[])valid.Clone();
        switch (random.Next(5))
        {
            case 0: // flip a few bits
                for (int i = random.Next(1, 8); i > 0; i--) bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                return bytes;
            case 1: // truncate
                return bytes[..random.Next(bytes.Length)];
            case 2: // random printable noise spliced in
                var noise = Encoding.ASCII.GetBytes(new string([.. Enumerable.Range(0, random.Next(1, 40)).Select(_ => (char)random.Next(0x20, 0x7F))]));
                int at = random.Next(bytes.Length);
                return [.. bytes[..at], .. noise, .. bytes[at..]];
            case 3: // duplicate a slice (repeated records, overlapping data)
                int from = random.Next(bytes.Length), len = random.Next(1, Math.Min(200, bytes.Length - from) + 1);
                return [.. bytes, .. bytes.AsSpan(from, len)];
            default: // pure random bytes
                var r = new byte[random.Next(0, 600)];
                random.NextBytes(r);
                return r;
        }
    }

    [Fact]
    public void The_upload_pipeline_classifies_every_mutated_file_and_never_throws()
    {
        var root = Directory.CreateTempSubdirectory("fleet-fuzz-").FullName;
        try
        {
            using var key = ManifestSigningKey.Generate("fuzz");
            var uploader = new ArtifactUploader(new ArtifactStore(root), key, new ManualTimeProvider(ServerHost.Epoch));
            var random = new Random(20261124);
            var validBin = TestImages.ValidBin(512);
            var validHex = TestImages.Hex(validBin);
            var seen = new HashSet<string>();

            for (int i = 0; i < 600; i++)
            {
                bool hex = i % 2 == 0;
                var content = Mutate(random, hex ? validHex : validBin);
                var outcome = uploader.Upload(new ArtifactUpload(hex ? "f.hex" : "f.bin", content, new SemanticVersion(1, 0, i), "stm32l072cz", default, false));
                seen.Add(outcome.GetType().Name);
                switch (outcome)
                {
                    case UploadOutcome.Unreadable u: Assert.All(u.Errors, e => Assert.False(string.IsNullOrWhiteSpace(e))); Assert.NotEmpty(u.Errors); break;
                    case UploadOutcome.Invalid v: Assert.NotEmpty(v.Errors); break;
                    case UploadOutcome.Stored s: Assert.Equal(s.Artifact.Id, ArtifactIds.Of(File.ReadAllBytes(Path.Combine(root, s.Artifact.Id, ArtifactStore.ImageFileName)))); break;
                    case UploadOutcome.Conflict c: Assert.Contains(c.Existing.Id, c.Reason); break;
                }
            }
            // The mutations reach every branch, or the fuzzing proves little.
            Assert.Contains(nameof(UploadOutcome.Unreadable), seen);
            Assert.Contains(nameof(UploadOutcome.Invalid), seen);
            Assert.Contains(nameof(UploadOutcome.Stored), seen);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Random_grant_parameters_are_refused_with_a_reason_and_never_throw()
    {
        var grants = new DownloadGrants(new byte[32], TimeSpan.FromHours(1), new ManualTimeProvider(ServerHost.Epoch));
        var valid = grants.Issue("dev-1", new string('a', 64));
        var random = new Random(7);
        string Noise() => new([.. Enumerable.Range(0, random.Next(0, 50)).Select(_ => (char)random.Next(0, 0x2FF))]);

        for (int i = 0; i < 2000; i++)
        {
            string? device = random.Next(3) == 0 ? Noise() : "dev-1";
            string? exp = random.Next(3) == 0 ? Noise() : valid.ExpiresAt.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
            string? sig = random.Next(4) == 0 ? valid.Signature[..^1] + "A" : Noise();
            var verdict = grants.Verify("dev-1", new string('a', 64), device, exp, sig);
            Assert.False(verdict.Allowed);
            Assert.False(string.IsNullOrWhiteSpace(verdict.Reason));
        }
    }

    [Fact]
    public async Task Random_authorization_headers_on_the_download_are_401_never_500()
    {
        // 150 failed sign-ins from one address: the answers are under test here, not the growing wait
        // (SignInFailureTests).
        await using var host = await ServerHost.StartAsync(o => o with { SignInFailuresBeforeDelay = int.MaxValue });
        var random = new Random(11);
        var url = "/" + host.Grants.Issue(ServerHost.DeviceId, new string('a', 64)).RelativeUrl;
        for (int i = 0; i < 150; i++)
        {
            var raw = new byte[random.Next(0, 120)];
            random.NextBytes(raw);
            string parameter = (i % 3) switch
            {
                0 => Convert.ToBase64String(raw),
                1 => Convert.ToBase64String(Encoding.UTF8.GetBytes(ServerHost.DeviceId + ":" + Convert.ToBase64String(raw))),
                _ => new string([.. raw.Select(b => (char)('!' + (b % 90)))]),
            };
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.TryAddWithoutValidation("Authorization", "Basic " + parameter);
            using var response = await host.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }

    [Fact]
    public async Task Mutated_update_bodies_are_answered_400_or_200_never_500()
    {
        var random = new Random(13);
        var artifactId = await fixture.Host.UploadValidAsync(TestImages.ValidBin(256, seed: 90), "9.0.0");
        var valid = Encoding.UTF8.GetBytes($$"""{"artifactId":"{{artifactId}}","deviceIds":["dev-1","dev-2"]}""");
        var statuses = new HashSet<HttpStatusCode>();
        for (int i = 0; i < 150; i++)
        {
            var body = new ByteArrayContent(Mutate(random, valid));
            body.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await fixture.Host.Client.SendAsync(ServerHost.AsOperator(HttpMethod.Post, "/api/updates", body));
            Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.OK, $"case {i}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            statuses.Add(response.StatusCode);
        }
        Assert.Contains(HttpStatusCode.BadRequest, statuses);
    }
}
