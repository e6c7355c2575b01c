using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace FleetOrchestrator.Server.Access;

/// <summary>
/// The key format and its hashing. A key reads <c>fleet_{id}_{secret}</c>: the id is public (it names the key in
/// lists, audit records and revocations), the secret is 256 random bits. What is stored is
/// SHA-256(salt ‖ SHA-256(key)) with a random 16-byte salt per key, compared in constant time; the key itself is
/// shown once, when it is created. A presented key without the <c>fleet_</c> form is the bootstrap key
/// (<see cref="BootstrapKeyId"/>), the one <c>fleet serve</c> generates on first start and keeps as a plain SHA-256
/// in the data directory, so the same salted form covers it too.
/// </summary>
public static class ApiKeySecrets
{
    public const string Prefix = "fleet_";

    /// <summary>The id of the key whose SHA-256 the server options or the data directory hold.</summary>
    public const string BootstrapKeyId = "bootstrap";

    /// <summary>The bootstrap key's name (the actor of what it does).</summary>
    public const string BootstrapKeyName = "bootstrap-admin";

    private const int IdBytes = 6;
    private const int SaltBytes = 16;

    /// <summary>A new key: its id, the full key to hand out once, and what to store.</summary>
    public static (string Id, string Key, byte[] Salt, byte[] Hash) Generate()
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(IdBytes));
        var key = Prefix + id + "_" + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        return (id, key, salt, Salted(salt, Digest(key)));
    }

    /// <summary>What to store for a key known only by its SHA-256 (the bootstrap key's hash file).</summary>
    public static (byte[] Salt, byte[] Hash) FromDigest(ReadOnlySpan<byte> sha256)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        return (salt, Salted(salt, sha256));
    }

    /// <summary>
    /// The id a presented key claims: the part between <c>fleet_</c> and the secret, else the bootstrap's.
    /// </summary>
    public static string ClaimedId(string presented)
    {
        if (!presented.StartsWith(Prefix, StringComparison.Ordinal)) return BootstrapKeyId;
        var end = presented.IndexOf('_', Prefix.Length);
        var id = end < 0 ? "" : presented[Prefix.Length..end];
        return id.Length == IdBytes * 2 && id.All(Uri.IsHexDigit) ? id : "";
    }

    public static bool Matches(StoredApiKey stored, string presented) => MatchesDigest(stored, Digest(presented));

    public static bool MatchesDigest(StoredApiKey stored, ReadOnlySpan<byte> sha256) =>
        CryptographicOperations.FixedTimeEquals(Salted(stored.Salt, sha256), stored.Hash);

    private static byte[] Digest(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    private static byte[] Salted(byte[] salt, ReadOnlySpan<byte> digest)
    {
        var input = new byte[salt.Length + digest.Length];
        salt.CopyTo(input, 0);
        digest.CopyTo(input.AsSpan(salt.Length));
        return SHA256.HashData(input);
    }
}
