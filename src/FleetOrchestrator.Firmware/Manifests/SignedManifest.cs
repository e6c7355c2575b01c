namespace FleetOrchestrator.Firmware.Manifests;

/// <summary>
/// A canonical manifest with its ECDSA P-256 signature (IEEE P1363, r||s, 64 bytes) and the id of the signing key.
/// Plain bytes and strings on purpose: Protocol's SignedManifestDto maps from <see cref="ManifestBase64"/>,
/// <see cref="SignatureBase64"/> and <see cref="KeyId"/> without Firmware knowing Protocol.
/// </summary>
public sealed record SignedManifest(ReadOnlyMemory<byte> CanonicalManifest, ReadOnlyMemory<byte> Signature, string KeyId)
{
    public string ManifestBase64 => Convert.ToBase64String(CanonicalManifest.Span);
    public string SignatureBase64 => Convert.ToBase64String(Signature.Span);

    /// <summary>Decodes the wire form; throws <see cref="ManifestFormatException"/> when a field is not base64.</summary>
    public static SignedManifest FromBase64(string manifestBase64, string signatureBase64, string keyId)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        return new SignedManifest(Decode(manifestBase64, "manifest"), Decode(signatureBase64, "signature"), keyId);
    }

    private static byte[] Decode(string? text, string field)
    {
        if (string.IsNullOrEmpty(text)) throw new ManifestFormatException($"{field} is missing");
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            throw new ManifestFormatException($"{field} is not valid base64");
        }
    }
}
