using System.Security.Cryptography;
using System.Text;

namespace FleetOrchestrator.Server.Api;

/// <summary>
/// The operators' bearer key, known only by its SHA-256: the server never stores the key itself, and compares
/// hashes in constant time so response timing reveals nothing about how much of a guess was right.
/// </summary>
public sealed class OperatorApiKey
{
    private readonly byte[] _sha256;

    private OperatorApiKey(byte[] sha256) => _sha256 = sha256;

    /// <summary>From a hex SHA-256 (64 hex digits, either case).</summary>
    public static OperatorApiKey FromSha256Hex(string sha256Hex)
    {
        byte[] hash;
        try
        {
            hash = Convert.FromHexString(sha256Hex.Trim());
        }
        catch (FormatException)
        {
            throw new FormatException("the operator API key hash must be 64 hex digits (the SHA-256 of the key)");
        }
        if (hash.Length != SHA256.HashSizeInBytes)
            throw new FormatException($"the operator API key hash must be 64 hex digits (the SHA-256 of the key), got {sha256Hex.Trim().Length}");
        return new OperatorApiKey(hash);
    }

    public static OperatorApiKey FromKey(string key) => new(Hash(key));

    /// <summary>A fresh random key (256 bits, base64url) for first start.</summary>
    public static string GenerateKey() => System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static string Sha256Hex(string key) => Convert.ToHexStringLower(Hash(key));

    /// <summary>The key's SHA-256 (a copy).</summary>
    public byte[] Sha256() => (byte[])_sha256.Clone();

    public bool Matches(string presentedKey) => CryptographicOperations.FixedTimeEquals(Hash(presentedKey), _sha256);

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
