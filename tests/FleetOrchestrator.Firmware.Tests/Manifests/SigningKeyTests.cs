using System.Security.Cryptography;
using FleetOrchestrator.Firmware.Signing;

namespace FleetOrchestrator.Firmware.Tests.Manifests;

public class SigningKeyTests
{
    [Fact]
    public void Exported_pems_are_strict_and_the_key_id_travels_beside_them()
    {
        using var key = ManifestSigningKey.Generate("fleet-prod");
        var privatePem = key.ExportPrivateKeyPem();
        var publicPem = key.ExportPublicKeyPem();
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----\n", privatePem, StringComparison.Ordinal);
        Assert.EndsWith("-----END PRIVATE KEY-----\n", privatePem, StringComparison.Ordinal);
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----\n", publicPem, StringComparison.Ordinal);
        Assert.EndsWith("-----END PUBLIC KEY-----\n", publicPem, StringComparison.Ordinal);

        var keyId = KeyIdFile.Parse(KeyIdFile.Format(key.KeyId));
        using var imported = ManifestSigningKey.FromPem(privatePem, keyId);
        Assert.Equal("fleet-prod", imported.KeyId);
        var signature = imported.Sign("hello"u8);
        using var publicKey = ManifestVerificationKey.FromPem(publicPem, keyId);
        Assert.Equal("fleet-prod", publicKey.KeyId);
        Assert.True(publicKey.Verify("hello"u8, signature));
        Assert.False(publicKey.Verify("hellO"u8, signature));
        Assert.Equal("fleet-prod", key.PublicKey.KeyId);
    }

    [Fact]
    public void A_file_written_before_with_a_key_id_line_still_reads_with_its_id()
    {
        using var key = ManifestSigningKey.Generate("fleet-2025");
        using var legacyPrivate = ManifestSigningKey.FromPem("Key-Id: fleet-2025\n" + key.ExportPrivateKeyPem());
        using var legacyPublic = ManifestVerificationKey.FromPem("Key-Id: fleet-2025\n" + key.ExportPublicKeyPem());
        Assert.Equal("fleet-2025", legacyPrivate.KeyId);
        Assert.Equal("fleet-2025", legacyPublic.KeyId);
        Assert.True(legacyPublic.Verify("x"u8, legacyPrivate.Sign("x"u8)));
        // The .keyid file, when there is one, names the key.
        using var renamed =
            ManifestVerificationKey.FromPem("Key-Id: fleet-2025\n" + key.ExportPublicKeyPem(), "fleet-2026");
        Assert.Equal("fleet-2026", renamed.KeyId);
    }

    [Fact]
    public void The_system_pem_reader_accepts_the_exported_public_key_as_it_is()
    {
        using var key = ManifestSigningKey.Generate("k");
        using var reader = ECDsa.Create();
        reader.ImportFromPem(key.ExportPublicKeyPem());
        var signature = key.Sign("data"u8);
        Assert.True(reader.VerifyData("data"u8, signature, HashAlgorithmName.SHA256,
            DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
        // Strict: exactly one PEM block and nothing else (a strict parser's whole-input check).
        Assert.True(PemEncoding.TryFind(key.ExportPublicKeyPem(), out var fields));
        Assert.Equal(key.ExportPublicKeyPem().TrimEnd('\n').Length, fields.Location.End.Value);
        Assert.Equal(0, fields.Location.Start.Value);
    }

    [Theory]
    [InlineData("p256-252858dbc405c1c2\n", "p256-252858dbc405c1c2")]
    [InlineData("  fleet.prod:2026  \r\n", "fleet.prod:2026")]
    public void A_key_id_file_holds_one_key_id(string text, string keyId) => Assert.Equal(keyId, KeyIdFile.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("two words")]
    [InlineData("-----BEGIN PUBLIC KEY-----")]
    public void A_key_id_file_with_anything_else_is_a_signing_key_error(string text)
    {
        var e = Assert.Throws<SigningKeyException>(() => KeyIdFile.Parse(text));
        Assert.Contains("one key id", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_key_id_file_sits_beside_the_pem() =>
        Assert.Equal(Path.Combine("keys", "manifest-signing.pub.keyid"),
            KeyIdFile.PathFor(Path.Combine("keys", "manifest-signing.pub.pem")));

    [Fact]
    public void Without_a_key_id_the_fingerprint_is_used_consistently()
    {
        using var key = ManifestSigningKey.Generate();
        Assert.Matches("^p256-[0-9a-f]{16}$", key.KeyId);
        using var bare = ManifestVerificationKey.FromPem(key.ExportPublicKeyPem());
        Assert.Equal(key.KeyId, bare.KeyId);
    }

    [Fact]
    public void Public_key_cannot_sign()
    {
        using var key = ManifestSigningKey.Generate("k");
        var e = Assert.Throws<SigningKeyException>(() => ManifestSigningKey.FromPem(key.ExportPublicKeyPem()));
        Assert.Equal("the PEM holds a public key; signing needs the private key", e.Message);
    }

    [Fact]
    public void Key_on_another_curve_is_refused()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var e = Assert.Throws<SigningKeyException>(() => ManifestVerificationKey.FromPem(p384.ExportSubjectPublicKeyInfoPem()));
        Assert.Contains("expected NIST P-256", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a pem")]
    [InlineData("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")]
    public void Garbage_is_a_signing_key_error(string pem) =>
        Assert.Throws<SigningKeyException>(() => ManifestVerificationKey.FromPem(pem));

    [Fact]
    public void Rsa_key_is_refused()
    {
        using var rsa = RSA.Create(2048);
        Assert.Throws<SigningKeyException>(() => ManifestVerificationKey.FromPem(rsa.ExportSubjectPublicKeyInfoPem()));
    }
}
