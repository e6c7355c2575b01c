using System.Security.Cryptography;

namespace FleetOrchestrator.Firmware.Signing;

/// <summary>
/// PEM handling shared by the private and public key types. Keys are written as strict PEM, the id beside them
/// (<see cref="KeyIdFile"/>); without an id from there, or from the "Key-Id: ..." line that files written before
/// carried before BEGIN, the id is the key's fingerprint.
/// </summary>
internal static class KeyPem
{
    private const string KeyIdLabel = "Key-Id:";

    /// <summary>The PEM block alone, ending in one newline: what strict parsers accept.</summary>
    public static string Strict(string pem) => pem.TrimEnd('\n') + "\n";

    /// <summary>The id of the legacy "Key-Id: ..." line before the PEM block, if there is one.</summary>
    public static string? ReadKeyId(string pemText)
    {
        int begin = pemText.IndexOf("-----BEGIN", StringComparison.Ordinal);
        var preamble = begin < 0 ? pemText : pemText[..begin];
        foreach (var line in preamble.Split('\n'))
        {
            var trimmed = line.Trim();
            if (trimmed.StartsWith(KeyIdLabel, StringComparison.Ordinal)) return trimmed[KeyIdLabel.Length..].Trim();
        }
        return null;
    }

    /// <summary>"p256-" + the first 8 bytes of SHA-256 over the SubjectPublicKeyInfo, in hex.</summary>
    public static string Fingerprint(ECDsa key) =>
        "p256-" + Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo())[..8]);

    public static ECDsa ImportP256(string pemText, bool requirePrivate)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pemText);
        }
        catch (ArgumentException e)
        {
            key.Dispose();
            throw new SigningKeyException($"no usable EC key PEM found: {e.Message}", e);
        }
        catch (CryptographicException e)
        {
            key.Dispose();
            throw new SigningKeyException($"the PEM does not hold a readable EC key: {e.Message}", e);
        }
        try
        {
            var parameters = key.ExportParameters(includePrivateParameters: false);
            if (key.KeySize != 256 || parameters.Curve.Oid?.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
            {
                throw new SigningKeyException($"the key is on curve {parameters.Curve.Oid?.FriendlyName ?? parameters.Curve.Oid?.Value ?? "(unnamed)"}, expected NIST P-256");
            }
            if (requirePrivate && !HasPrivateKey(key))
            {
                throw new SigningKeyException("the PEM holds a public key; signing needs the private key");
            }
            return key;
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    private static bool HasPrivateKey(ECDsa key)
    {
        try
        {
            return key.ExportParameters(includePrivateParameters: true).D is { Length: > 0 };
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
