using System.Security.Cryptography;
using FleetOrchestrator.Firmware.Signing;
using FleetOrchestrator.Server.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace FleetOrchestrator.Server.Tests.Hosting;

/// <summary>
/// The manifest public key `fleet serve` writes for devices: a strict PEM that any PEM reader takes as it is
/// (OpensslKeyFileTests in the Firmware tests runs openssl on the same text), its key id in the .keyid file beside
/// it; and a data directory written before (a "Key-Id:" line before BEGIN) keeps its key and id.
/// </summary>
public sealed class ManifestKeyFileTests : IDisposable
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("fleet-key-files-").FullName;

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);

    private ServerSecrets Load() =>
        ServerSecrets.LoadOrCreate(new FleetServerOptions { DataDirectory = _dataDir }, NullLogger.Instance);

    private static string KeyIdBeside(string pemPath) => KeyIdFile.Parse(File.ReadAllText(KeyIdFile.PathFor(pemPath)));

    private string KeysDir => Path.Combine(_dataDir, "keys");

    [Fact]
    public void The_public_key_file_is_strict_pem_and_its_key_id_is_beside_it()
    {
        var secrets = Load();

        var text = File.ReadAllText(secrets.PublicKeyPath);
        Assert.Equal(secrets.SigningKey.ExportPublicKeyPem(), text);
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----\n", text, StringComparison.Ordinal);
        using (var reader = ECDsa.Create())
        {
            reader.ImportFromPem(text);
            Assert.True(reader.VerifyData("m"u8, secrets.SigningKey.Sign("m"u8), HashAlgorithmName.SHA256,
                DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
        }
        Assert.Equal(Path.Combine(KeysDir, "manifest-signing.pub.keyid"), KeyIdFile.PathFor(secrets.PublicKeyPath));
        Assert.Equal(secrets.SigningKey.KeyId, KeyIdBeside(secrets.PublicKeyPath));
        var privateText = File.ReadAllText(secrets.SigningKeyPath);
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----\n", privateText, StringComparison.Ordinal);
        Assert.Equal(secrets.SigningKey.KeyId, KeyIdBeside(secrets.SigningKeyPath));

        // A restart reads the same key with the same id and leaves the files as they are.
        var again = Load();
        Assert.Equal(secrets.SigningKey.KeyId, again.SigningKey.KeyId);
        Assert.Equal(text, File.ReadAllText(again.PublicKeyPath));
    }

    [Fact]
    public void A_data_directory_with_key_id_lines_keeps_its_key_and_id_and_gets_a_strict_public_key()
    {
        using var key = ManifestSigningKey.Generate("fleet-prod");
        Directory.CreateDirectory(KeysDir);
        // What the server wrote before: the id on a line before BEGIN, in both files.
        File.WriteAllText(Path.Combine(KeysDir, "manifest-signing.pem"),
            "Key-Id: fleet-prod\n" + key.ExportPrivateKeyPem() + "\n");
        File.WriteAllText(Path.Combine(KeysDir, "manifest-signing.pub.pem"),
            "Key-Id: fleet-prod\n" + key.ExportPublicKeyPem() + "\n");

        var secrets = Load();

        Assert.Equal("fleet-prod", secrets.SigningKey.KeyId);
        Assert.Equal(key.ExportPublicKeyPem(), File.ReadAllText(secrets.PublicKeyPath));
        Assert.Equal("fleet-prod", KeyIdBeside(secrets.PublicKeyPath));
        using var publicKey = ManifestVerificationKey.FromPem(File.ReadAllText(secrets.PublicKeyPath), "fleet-prod");
        Assert.True(publicKey.Verify("m"u8, secrets.SigningKey.Sign("m"u8)));
    }

    [Fact]
    public void A_key_id_file_that_holds_no_key_id_stops_the_start_with_the_reason()
    {
        Load();
        File.WriteAllText(Path.Combine(KeysDir, "manifest-signing.keyid"), "not a key id\n");

        var e = Assert.Throws<InvalidOperationException>(Load);
        Assert.Contains("manifest-signing.keyid is unusable: a key id file must hold one key id", e.Message,
            StringComparison.Ordinal);
    }
}
