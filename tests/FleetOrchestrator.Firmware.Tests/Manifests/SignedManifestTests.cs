using System.Text;
using FleetOrchestrator.Firmware.Images;
using FleetOrchestrator.Firmware.Manifests;
using FleetOrchestrator.Firmware.Signing;
using FleetOrchestrator.Firmware.Tests.Support;
using FleetOrchestrator.Firmware.Versioning;

namespace FleetOrchestrator.Firmware.Tests.Manifests;

public sealed class SignedManifestTests : IDisposable
{
    private readonly ManifestSigningKey _key = ManifestSigningKey.Generate("release-2026");
    private readonly FirmwareImage _image = ImageFileReader.Read("bank1.hex", FirmwareFixtures.Bytes("bank1.hex")).Image!;

    public void Dispose() => _key.Dispose();

    private FirmwareManifest Manifest() =>
        FirmwareManifest.Describe(_image, new SemanticVersion(1, 4, 0), "stm32l072cz", new SemanticVersion(1, 0, 0), downgradeAllowed: false);

    private ManifestVerificationKey PublicKey() =>
        ManifestVerificationKey.FromPem(_key.ExportPublicKeyPem(), _key.KeyId);

    [Fact]
    public void Canonical_json_has_the_fixed_field_order_and_compact_form()
    {
        var json = Encoding.UTF8.GetString(ManifestJson.ToCanonicalJson(Manifest() with { KeyId = "k1" }));
        Assert.Equal(
            $"{{\"imageSha256\":\"{Hashing.ImageDigest.Sha256Hex(_image.Bytes.Span)}\",\"size\":{_image.Size},\"crc32\":\"0x{_image.Crc32:X8}\"," +
            "\"version\":\"1.4.0\",\"hardwareTarget\":\"stm32l072cz\",\"minimumBootloader\":\"1.0.0\",\"downgradeAllowed\":false,\"keyId\":\"k1\"}",
            json);
    }

    [Fact]
    public void Canonical_json_is_deterministic_and_round_trips()
    {
        var manifest = Manifest() with { KeyId = "k1", DowngradeAllowed = true };
        var a = ManifestJson.ToCanonicalJson(manifest);
        var b = ManifestJson.ToCanonicalJson(manifest with { });
        Assert.Equal(a, b);
        Assert.Equal(manifest, ManifestJson.Parse(a));
    }

    [Fact]
    public void Sign_then_verify_returns_the_manifest_with_the_key_id_stamped_in()
    {
        var signed = ManifestSigner.Sign(Manifest(), _key);
        Assert.Equal(64, signed.Signature.Length);
        using var publicKey = PublicKey();
        var result = ManifestVerifier.Verify(signed, publicKey);
        Assert.True(result.IsValid, result.FailureReason);
        Assert.Equal(Manifest() with { KeyId = "release-2026" }, result.Manifest);
        Assert.Empty(ManifestVerifier.CompareImage(result.Manifest!, _image.Bytes.Span));
    }

    [Fact]
    public void Wire_form_round_trips_through_base64_and_the_file_json()
    {
        var signed = ManifestSigner.Sign(Manifest(), _key);
        var viaDto = SignedManifest.FromBase64(signed.ManifestBase64, signed.SignatureBase64, signed.KeyId);
        var viaFile = SignedManifestFile.FromJson(SignedManifestFile.ToJson(signed));
        using var publicKey = PublicKey();
        Assert.True(ManifestVerifier.Verify(viaDto, publicKey).IsValid);
        Assert.True(ManifestVerifier.Verify(viaFile, publicKey).IsValid);
        Assert.Equal(signed.CanonicalManifest.ToArray(), viaFile.CanonicalManifest.ToArray());
    }

    [Fact]
    public void Any_flipped_bit_in_the_manifest_is_detected()
    {
        var signed = ManifestSigner.Sign(Manifest(), _key);
        using var publicKey = PublicKey();
        var bytes = signed.CanonicalManifest.ToArray();
        for (int i = 0; i < bytes.Length; i += 7)
        {
            var tampered = (byte[])bytes.Clone();
            tampered[i] ^= 0x01;
            var result = ManifestVerifier.Verify(signed with { CanonicalManifest = tampered }, publicKey);
            Assert.False(result.IsValid);
            Assert.Equal("signature does not verify with key 'release-2026': the manifest or signature was altered, or another key signed it", result.FailureReason);
        }
    }

    [Fact]
    public void Tampered_signature_is_detected()
    {
        var signed = ManifestSigner.Sign(Manifest(), _key);
        var sig = signed.Signature.ToArray();
        sig[10] ^= 0x80;
        using var publicKey = PublicKey();
        Assert.False(ManifestVerifier.Verify(signed with { Signature = sig }, publicKey).IsValid);
    }

    [Fact]
    public void Signature_of_the_wrong_length_is_named()
    {
        var signed = ManifestSigner.Sign(Manifest(), _key);
        using var publicKey = PublicKey();
        var result = ManifestVerifier.Verify(signed with { Signature = new byte[70] }, publicKey);
        Assert.Equal("signature is 70 bytes; an ECDSA P-256 signature in IEEE P1363 form is 64", result.FailureReason);
    }

    [Fact]
    public void Another_keys_signature_names_both_key_ids()
    {
        using var other = ManifestSigningKey.Generate("someone-else");
        var signed = ManifestSigner.Sign(Manifest(), other);
        using var publicKey = PublicKey();
        var result = ManifestVerifier.Verify(signed, publicKey);
        Assert.Equal("signature does not verify: the manifest names key 'someone-else' but the given public key is 'release-2026'", result.FailureReason);
    }

    [Fact]
    public void Envelope_key_id_that_disagrees_with_the_signed_one_is_refused()
    {
        var signed = ManifestSigner.Sign(Manifest(), _key);
        using var relabelled = ManifestVerificationKey.FromPem(_key.ExportPublicKeyPem(), keyIdOverride: "forged");
        var result = ManifestVerifier.Verify(signed with { KeyId = "forged" }, relabelled);
        Assert.Equal("the signed manifest names key 'release-2026' but its envelope says 'forged'", result.FailureReason);
    }

    [Fact]
    public void Image_that_differs_from_the_manifest_lists_every_difference()
    {
        var manifest = Manifest();
        var other = _image.Bytes.ToArray();
        other[^1] ^= 0xFF;
        var problems = ManifestVerifier.CompareImage(manifest, other);
        Assert.Equal(2, problems.Count);
        Assert.StartsWith("image SHA-256 is ", problems[0], StringComparison.Ordinal);
        Assert.StartsWith("image CRC is 0x", problems[1], StringComparison.Ordinal);
        Assert.Equal(3, ManifestVerifier.CompareImage(manifest, other.AsSpan(0, other.Length - 4)).Count);
    }

    [Theory]
    [InlineData("not json", "manifest is not valid JSON")]
    [InlineData("[]", "manifest is not a JSON object")]
    [InlineData("{\"size\":1}", "manifest fields are [size]; expected exactly [imageSha256, size, crc32, version, hardwareTarget, minimumBootloader, downgradeAllowed, keyId] in that order")]
    public void Malformed_manifest_json_names_the_problem(string json, string expectedStart)
    {
        var e = Assert.Throws<ManifestFormatException>(() => ManifestJson.Parse(Encoding.UTF8.GetBytes(json)));
        Assert.StartsWith(expectedStart, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Non_canonical_but_equivalent_json_is_refused()
    {
        var canonical = Encoding.UTF8.GetString(ManifestJson.ToCanonicalJson(Manifest() with { KeyId = "k" }));
        var spaced = canonical.Replace(",", ", ", StringComparison.Ordinal);
        var e = Assert.Throws<ManifestFormatException>(() => ManifestJson.Parse(Encoding.UTF8.GetBytes(spaced)));
        Assert.StartsWith("manifest JSON is not in canonical form", e.Message, StringComparison.Ordinal);
        var badVersion = canonical.Replace("\"1.4.0\"", "\"1.4\"", StringComparison.Ordinal);
        Assert.Equal("manifest field 'version' is '1.4', not a version major.minor.patch",
            Assert.Throws<ManifestFormatException>(() => ManifestJson.Parse(Encoding.UTF8.GetBytes(badVersion))).Message);
    }

    [Fact]
    public void Bad_base64_and_bad_file_json_are_named()
    {
        Assert.Equal("signature is not valid base64", Assert.Throws<ManifestFormatException>(() => SignedManifest.FromBase64("AAAA", "!!", "k")).Message);
        Assert.Equal("signed manifest file has no string field 'keyId'",
            Assert.Throws<ManifestFormatException>(() => SignedManifestFile.FromJson("{\"manifestBase64\":\"AA==\",\"signatureBase64\":\"AA==\"}")).Message);
    }
}
