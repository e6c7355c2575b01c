using System.Security.Cryptography;

namespace FleetOrchestrator.Mqtt.Security;

/// <summary>
/// HMAC-SHA256 of a secret keyed with a random 16-byte salt. Device secrets are random 256-bit values
/// (<see cref="DeviceSecrets"/>), so a slow password hash buys no security against brute force there, but it would cost
/// milliseconds of CPU per connect: at 10,000 devices reconnecting after a broker restart that is the difference
/// between a second and a minute. Human-chosen passwords do not belong in this store.
/// </summary>
public sealed class SaltedSecretHash
{
    private const int SaltLength = 16;
    private readonly byte[] _salt;
    private readonly byte[] _hash;

    private SaltedSecretHash(byte[] salt, byte[] hash) { _salt = salt; _hash = hash; }

    public static SaltedSecretHash Create(ReadOnlySpan<byte> secret)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltLength);
        return new SaltedSecretHash(salt, HMACSHA256.HashData(salt, secret));
    }

    /// <summary>
    /// A hash stored earlier (a credential file): <paramref name="salt"/> and <paramref name="hash"/> as
    /// <see cref="Salt"/> and <see cref="Hash"/> gave them. The secret itself never needs to be kept.
    /// </summary>
    public static SaltedSecretHash FromStored(ReadOnlySpan<byte> salt, ReadOnlySpan<byte> hash)
    {
        if (salt.Length != SaltLength) throw new ArgumentException($"a salt is {SaltLength} bytes, got {salt.Length}", nameof(salt));
        if (hash.Length != HMACSHA256.HashSizeInBytes)
            throw new ArgumentException($"a hash is {HMACSHA256.HashSizeInBytes} bytes, got {hash.Length}", nameof(hash));
        return new SaltedSecretHash(salt.ToArray(), hash.ToArray());
    }

    /// <summary>The random salt, for persisting the hash.</summary>
    public ReadOnlySpan<byte> Salt => _salt;

    /// <summary>HMAC-SHA256(salt, secret), for persisting the hash.</summary>
    public ReadOnlySpan<byte> Hash => _hash;

    /// <summary>Constant-time comparison, so the time taken does not tell an attacker how much of a guess was right.</summary>
    public bool Matches(ReadOnlySpan<byte> secret)
    {
        Span<byte> candidate = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_salt, secret, candidate);
        return CryptographicOperations.FixedTimeEquals(candidate, _hash);
    }
}
