using System.Diagnostics.CodeAnalysis;
using FleetOrchestrator.Protocol.Validation;

namespace FleetOrchestrator.Protocol.Messages;

/// <summary>
/// The signed manifest as it travels: the canonical manifest JSON (base64) and its ECDSA P-256 signature (base64, IEEE P1363).
/// The protocol only carries it; the Firmware project produces the canonical bytes and verifies the signature.
/// </summary>
public sealed record SignedManifestDto(string ManifestBase64, string SignatureBase64, string KeyId)
{
    /// <summary>Wraps raw canonical manifest bytes and a raw 64-byte signature.</summary>
    public static SignedManifestDto FromBytes(ReadOnlySpan<byte> canonicalManifest, ReadOnlySpan<byte> signature, string keyId) =>
        new(Convert.ToBase64String(canonicalManifest), Convert.ToBase64String(signature), keyId);

    /// <summary>The raw bytes, when both fields are strict base64 (see <see cref="StrictBase64"/>).</summary>
    public bool TryDecode([NotNullWhen(true)] out byte[]? canonicalManifest, [NotNullWhen(true)] out byte[]? signature)
    {
        canonicalManifest = signature = null;
        if (ManifestBase64 is null || SignatureBase64 is null
            || !StrictBase64.TryGetDecodedLength(ManifestBase64, out _) || !StrictBase64.TryGetDecodedLength(SignatureBase64, out _))
            return false;
        canonicalManifest = Convert.FromBase64String(ManifestBase64);
        signature = Convert.FromBase64String(SignatureBase64);
        return true;
    }
}
