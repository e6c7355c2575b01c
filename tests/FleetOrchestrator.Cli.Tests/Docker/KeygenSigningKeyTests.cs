using FleetOrchestrator.Cli.Tests.Client;
using FleetOrchestrator.Firmware.Signing;

namespace FleetOrchestrator.Cli.Tests.Docker;

/// <summary>
/// docker/README.md tells operators to make the nodes' --signing-key with `fleet firmware keygen` and to give devices
/// (and the simulator) the keygen's public half. Here exactly that: keygen, the private PEM copied to the name the
/// compose secret has (without its .keyid file, as the README copies it), a server started with it, an image
/// uploaded through the API, and the manifest the server signed verified with the keygen's public key and id.
/// </summary>
public sealed class KeygenSigningKeyTests
{
    [Fact]
    public async Task A_key_made_by_fleet_firmware_keygen_signs_the_manifests_as_signing_key()
    {
        var work = Directory.CreateTempSubdirectory("fleet-keygen-signing-").FullName;
        try
        {
            var keys = Path.Combine(work, "secrets", "keys");
            var keygen = await ClientRun.Of(new Cli.Client.ClientEnvironment { Variable = _ => null },
                ["firmware", "keygen", "--out", keys]);
            Assert.True(keygen.ExitCode == 0, keygen.ToString());
            var privatePem = Assert.Single(Directory.GetFiles(keys, "*.private.pem"));
            var publicPem = Assert.Single(Directory.GetFiles(keys, "*.public.pem"));
            var keyId = KeyIdFile.Parse(await File.ReadAllTextAsync(KeyIdFile.PathFor(publicPem)));
            // The mounted secret: read-only in a container, so the server must write nothing beside it.
            var secrets = Path.Combine(work, "mounted");
            Directory.CreateDirectory(secrets);
            var mounted = Path.Combine(secrets, "manifest-signing-key");
            File.Copy(privatePem, mounted);

            await using var server = await ClientTestServer.StartAsync(signingKeyPath: mounted);
            var image = await ClientVerbsTests.ImageFileAsync(server.Directory, "1.2.0");
            var upload = await server.RunAsync("artifacts", "upload", image, "--version", "1.2.0", "--json");
            Assert.True(upload.ExitCode == 0, upload.ToString());
            var signed = upload.Json().GetProperty("artifact").GetProperty("signedManifest");

            using var verification = ManifestVerificationKey.FromPem(await File.ReadAllTextAsync(publicPem), keyId);
            Assert.Equal(keyId, signed.GetProperty("keyId").GetString());
            var manifest = Convert.FromBase64String(signed.GetProperty("manifestBase64").GetString()!);
            var signature = Convert.FromBase64String(signed.GetProperty("signatureBase64").GetString()!);
            Assert.True(verification.Verify(manifest, signature));
            // The check can fail: a changed manifest does not verify.
            manifest[^1] ^= 0x01;
            Assert.False(verification.Verify(manifest, signature));

            // The public half the node hands out is the keygen's, in its data directory (docs/serve.md), and the
            // mounted secret's directory is left as it was.
            Assert.Equal(await File.ReadAllTextAsync(publicPem), await File.ReadAllTextAsync(server.PublicKeyPath));
            Assert.Equal(Path.Combine(server.Directory, "keys", "manifest-signing.pub.pem"), server.PublicKeyPath);
            Assert.Equal([mounted], Directory.GetFiles(secrets));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
