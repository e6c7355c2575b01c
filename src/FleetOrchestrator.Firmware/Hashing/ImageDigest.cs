using System.Security.Cryptography;

namespace FleetOrchestrator.Firmware.Hashing;

/// <summary>SHA-256 of image bytes in the form manifests carry: 64 lower-case hex digits.</summary>
public static class ImageDigest
{
    public static string Sha256Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>True when <paramref name="text"/> is 64 lower-case hex digits, the canonical form.</summary>
    public static bool IsCanonicalSha256Hex(string? text) =>
        text is { Length: 64 } && text.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');
}
