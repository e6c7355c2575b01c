using System.Security.Cryptography;

namespace FleetOrchestrator.Firmware.Signing;

/// <summary>An ECDSA P-256 public key with its id; verifies manifest signatures.</summary>
public sealed class ManifestVerificationKey : IDisposable
{
    public const int SignatureLength = 64;
    private readonly ECDsa _key;

    private ManifestVerificationKey(ECDsa key, string keyId)
    {
        _key = key;
        KeyId = keyId;
    }

    public string KeyId { get; }

    /// <summary>
    /// Imports a SubjectPublicKeyInfo PEM (a private key PEM works too; only its public half is used). The id is
    /// <paramref name="keyIdOverride"/> (the <see cref="KeyIdFile"/> beside the PEM), else an old file's "Key-Id:"
    /// line, else the fingerprint.
    /// </summary>
    public static ManifestVerificationKey FromPem(string pemText, string? keyIdOverride = null)
    {
        ArgumentNullException.ThrowIfNull(pemText);
        var key = KeyPem.ImportP256(pemText, requirePrivate: false);
        var publicOnly = ECDsa.Create(key.ExportParameters(includePrivateParameters: false));
        string keyId = keyIdOverride ?? KeyPem.ReadKeyId(pemText) ?? KeyPem.Fingerprint(key);
        key.Dispose();
        return new ManifestVerificationKey(publicOnly, keyId);
    }

    /// <summary>Strict SubjectPublicKeyInfo PEM; the key id goes beside it (<see cref="KeyIdFile"/>).</summary>
    public string ExportPublicKeyPem() => KeyPem.Strict(_key.ExportSubjectPublicKeyInfoPem());

    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) =>
        signature.Length == SignatureLength
        && _key.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    public void Dispose() => _key.Dispose();
}
