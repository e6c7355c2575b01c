using FleetOrchestrator.Firmware.Crc;
using FleetOrchestrator.Firmware.Hashing;
using FleetOrchestrator.Firmware.Signing;

namespace FleetOrchestrator.Firmware.Manifests;

/// <summary>
/// Checks a signed manifest: the signature over the exact manifest bytes first (nothing unauthenticated is
/// trusted), then that the bytes are a canonical manifest, then that every key id agrees.
/// </summary>
public static class ManifestVerifier
{
    public static ManifestVerificationResult Verify(SignedManifest signed, ManifestVerificationKey key)
    {
        ArgumentNullException.ThrowIfNull(signed);
        ArgumentNullException.ThrowIfNull(key);
        if (signed.Signature.Length != ManifestVerificationKey.SignatureLength)
        {
            return ManifestVerificationResult.Invalid(
                $"signature is {signed.Signature.Length} bytes; an ECDSA P-256 signature in IEEE P1363 form is {ManifestVerificationKey.SignatureLength}");
        }
        if (!key.Verify(signed.CanonicalManifest.Span, signed.Signature.Span))
        {
            return ManifestVerificationResult.Invalid(signed.KeyId == key.KeyId
                ? $"signature does not verify with key '{key.KeyId}': the manifest or signature was altered, or another key signed it"
                : $"signature does not verify: the manifest names key '{signed.KeyId}' but the given public key is '{key.KeyId}'");
        }
        FirmwareManifest manifest;
        try
        {
            manifest = ManifestJson.Parse(signed.CanonicalManifest.Span);
        }
        catch (ManifestFormatException e)
        {
            return ManifestVerificationResult.Invalid($"signature is valid but the signed content is not a manifest: {e.Message}");
        }
        if (manifest.KeyId != signed.KeyId)
        {
            return ManifestVerificationResult.Invalid($"the signed manifest names key '{manifest.KeyId}' but its envelope says '{signed.KeyId}'");
        }
        if (manifest.KeyId != key.KeyId)
        {
            return ManifestVerificationResult.Invalid($"the manifest names key '{manifest.KeyId}' but was verified with key '{key.KeyId}'");
        }
        return ManifestVerificationResult.Valid(manifest);
    }

    /// <summary>Every way <paramref name="image"/> differs from what <paramref name="manifest"/> promises (empty when it matches).</summary>
    public static IReadOnlyList<string> CompareImage(FirmwareManifest manifest, ReadOnlySpan<byte> image)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var problems = new List<string>();
        if (image.Length != manifest.Size) problems.Add($"image is {image.Length} bytes, the manifest says {manifest.Size}");
        string sha = ImageDigest.Sha256Hex(image);
        if (sha != manifest.ImageSha256) problems.Add($"image SHA-256 is {sha}, the manifest says {manifest.ImageSha256}");
        uint crc = Stm32Crc.Compute(image);
        if (crc != manifest.Crc32) problems.Add($"image CRC is {ManifestJson.FormatCrc(crc)}, the manifest says {ManifestJson.FormatCrc(manifest.Crc32)}");
        return problems;
    }
}
