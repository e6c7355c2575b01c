using System.Security.Cryptography;
using FleetOrchestrator.Firmware.Signing;

namespace FleetOrchestrator.Firmware.Tests.Manifests;

public class SigningKeyTests
{
    [Fact]
    public void Private_key_pem_round_trips_with_its_key_id()
    {
        using var key = ManifestSigningKey.Generate("fleet-prod");
        var pem = key.ExportPrivateKeyPem();
        Assert.StartsWith("Key-Id: fleet-prod\n-----BEGIN PRIVATE KEY-----", pem, StringComparison.Ordinal);
        using var imported = ManifestSigningKey.FromPem(pem);
        Assert.Equal("fleet-prod", imported.KeyId);
        var signature = imported.Sign("hello"u8);
        using var publicKey = ManifestVerificationKey.FromPem(key.ExportPublicKeyPem());
        Assert.Equal("fleet-prod", publicKey.KeyId);
        Assert.True(publicKey.Verify("hello"u8, signature));
        Assert.False(publicKey.Verify("hellO"u8, signature));
    }

    [Fact]
    public void Without_a_key_id_the_fingerprint_is_used_consistently()
    {
        using var key = ManifestSigningKey.Generate();
        Assert.Matches("^p256-[0-9a-f]{16}$", key.KeyId);
        using var bare = ManifestVerificationKey.FromPem(key.ExportPublicKeyPem().Split('\n', 2)[1]); // PEM without the Key-Id line
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
