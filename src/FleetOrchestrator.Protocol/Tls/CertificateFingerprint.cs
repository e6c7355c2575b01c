using System.Security.Cryptography;

namespace FleetOrchestrator.Protocol.Tls;

/// <summary>
/// The SHA-256 fingerprint of a server certificate (of its DER bytes), as a device pins it (PROTOCOL.md §2, "TLS").
/// Written as <c>openssl x509 -noout -fingerprint -sha256</c> prints it: upper-case hex bytes joined by colons.
/// </summary>
public sealed record CertificateFingerprint
{
    private CertificateFingerprint(byte[] sha256) => Sha256 = sha256;

    /// <summary>The 32 bytes of the digest.</summary>
    public IReadOnlyList<byte> Sha256 { get; }

    public static CertificateFingerprint Of(ReadOnlySpan<byte> certificateDer) => new(SHA256.HashData(certificateDer));

    /// <summary>
    /// Reads a fingerprint with or without colons (or spaces), in either case; an optional <c>sha256:</c> prefix.
    /// Throws <see cref="FormatException"/> for anything that is not 32 hex bytes.
    /// </summary>
    public static CertificateFingerprint Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var hex = text.Trim();
        if (hex.StartsWith("sha256:", StringComparison.OrdinalIgnoreCase)) hex = hex["sha256:".Length..];
        hex = hex.Replace(":", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
        byte[] bytes;
        try
        {
            bytes = Convert.FromHexString(hex);
        }
        catch (FormatException)
        {
            throw new FormatException($"'{text}' is not a SHA-256 fingerprint (64 hex digits, colons allowed)");
        }
        if (bytes.Length != 32)
            throw new FormatException($"'{text}' is not a SHA-256 fingerprint: {bytes.Length} bytes instead of 32");
        return new CertificateFingerprint(bytes);
    }

    public bool Matches(ReadOnlySpan<byte> certificateDer) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(certificateDer), [.. Sha256]);

    public bool Equals(CertificateFingerprint? other) => other is not null && Sha256.SequenceEqual(other.Sha256);

    public override int GetHashCode() => BitConverter.ToInt32([.. Sha256], 0);

    public override string ToString() => string.Join(':', Sha256.Select(b => b.ToString("X2",
        System.Globalization.CultureInfo.InvariantCulture)));
}
