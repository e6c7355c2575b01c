using FleetOrchestrator.Firmware.Signing;
using FleetOrchestrator.Firmware.Tests.Support;

namespace FleetOrchestrator.Firmware.Tests.Manifests;

/// <summary>
/// OpenSSL as an independent PEM reader: the key files `fleet firmware keygen` and `fleet serve` write are read as
/// they are, with nothing to strip. Skipped (not passed) where openssl is not installed.
/// </summary>
public sealed class OpensslKeyFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fleet-pem-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [ToolFact("openssl", "openssl")]
    public void Openssl_reads_the_exported_public_and_private_keys()
    {
        using var key = ManifestSigningKey.Generate("fleet-prod");
        string publicPath = Path.Combine(_dir, "k.pub.pem"), privatePath = Path.Combine(_dir, "k.pem");
        File.WriteAllText(publicPath, key.ExportPublicKeyPem());
        File.WriteAllText(privatePath, key.ExportPrivateKeyPem());

        var pub = ExternalTool.Run("openssl", "pkey", "-pubin", "-in", publicPath, "-noout");
        Assert.True(pub.ExitCode == 0, $"openssl refused the public key: {pub.StdErr}");
        var priv = ExternalTool.Run("openssl", "pkey", "-in", privatePath, "-noout");
        Assert.True(priv.ExitCode == 0, $"openssl refused the private key: {priv.StdErr}");
        // Same key: openssl derives from the private PEM exactly the public PEM we wrote.
        var derived = ExternalTool.Run("openssl", "pkey", "-in", privatePath, "-pubout");
        Assert.Equal(key.ExportPublicKeyPem(), derived.StdOut);
    }

    [ToolFact("openssl", "openssl")]
    public void Openssl_is_a_real_check_it_refuses_garbage()
    {
        string path = Path.Combine(_dir, "bad.pem");
        File.WriteAllText(path, "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
        Assert.NotEqual(0, ExternalTool.Run("openssl", "pkey", "-pubin", "-in", path, "-noout").ExitCode);
    }
}
