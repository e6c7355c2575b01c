using System.Security.Cryptography;

namespace FleetOrchestrator.Firmware.Signing;

/// <summary>An ECDSA P-256 private key with the id devices use to find its public half.</summary>
public sealed class ManifestSigningKey : IDisposable
{
    private readonly ECDsa _key;

    private ManifestSigningKey(ECDsa key, string keyId)
    {
        _key = key;
        KeyId = keyId;
    }

    public string KeyId { get; }

    /// <summary>A fresh key; without <paramref name="keyId"/> the id is the key's fingerprint.</summary>
    public static ManifestSigningKey Generate(string? keyId = null)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new ManifestSigningKey(key, string.IsNullOrWhiteSpace(keyId) ? KeyPem.Fingerprint(key) : keyId);
    }

    /// <summary>
    /// Imports a PKCS#8 or SEC1 PEM private key; throws <see cref="SigningKeyException"/> with the reason. The id is
    /// <paramref name="keyIdOverride"/> (the <see cref="KeyIdFile"/> beside the PEM), else an old file's "Key-Id:"
    /// line, else the fingerprint.
    /// </summary>
    public static ManifestSigningKey FromPem(string pemText, string? keyIdOverride = null)
    {
        ArgumentNullException.ThrowIfNull(pemText);
        var key = KeyPem.ImportP256(pemText, requirePrivate: true);
        return new ManifestSigningKey(key, keyIdOverride ?? KeyPem.ReadKeyId(pemText) ?? KeyPem.Fingerprint(key));
    }

    /// <summary>Strict PKCS#8 PEM; the key id goes beside it (<see cref="KeyIdFile"/>).</summary>
    public string ExportPrivateKeyPem() => KeyPem.Strict(_key.ExportPkcs8PrivateKeyPem());

    /// <summary>Strict SubjectPublicKeyInfo PEM; the key id goes beside it (<see cref="KeyIdFile"/>).</summary>
    public string ExportPublicKeyPem() => KeyPem.Strict(_key.ExportSubjectPublicKeyInfoPem());

    public ManifestVerificationKey PublicKey => ManifestVerificationKey.FromPem(ExportPublicKeyPem(), KeyId);

    /// <summary>ECDSA P-256 over SHA-256 of <paramref name="data"/>, IEEE P1363 (r||s, 64 bytes).</summary>
    public byte[] Sign(ReadOnlySpan<byte> data) =>
        _key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    public void Dispose() => _key.Dispose();
}
