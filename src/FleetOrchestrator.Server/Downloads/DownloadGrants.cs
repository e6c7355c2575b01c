using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Unicode;

namespace FleetOrchestrator.Server.Downloads;

/// <summary>
/// Issues and checks per-device download grants: HMAC-SHA256 with a server secret over
/// (device id, artifact id, expiry). The saga issues one when it builds a StartDownload command; the download
/// endpoint checks it against the device that authenticated and the artifact in the path.
/// </summary>
/// <remarks>
/// The signed text separates its fields with '\n', which no device id, artifact id or number contains, so two
/// different triples can never sign the same bytes. The signature is base64url so it needs no escaping in a query.
/// </remarks>
public sealed class DownloadGrants
{
    private const string Domain = "fleet-download-grant-v1";
    public const int MinimumSecretBytes = 32;
    private static readonly int SignatureChars = Base64Url.GetEncodedLength(HMACSHA256.HashSizeInBytes);

    private readonly byte[] _secret;
    private readonly TimeProvider _time;

    public DownloadGrants(ReadOnlySpan<byte> secret, TimeSpan defaultLifetime, TimeProvider? time = null)
    {
        if (secret.Length < MinimumSecretBytes)
            throw new ArgumentException($"a download grant secret needs at least {MinimumSecretBytes} bytes, got {secret.Length}", nameof(secret));
        if (defaultLifetime <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(defaultLifetime), defaultLifetime, "a grant lifetime must be positive");
        _secret = secret.ToArray();
        DefaultLifetime = defaultLifetime;
        _time = time ?? TimeProvider.System;
    }

    public TimeSpan DefaultLifetime { get; }

    /// <summary>A grant for <paramref name="deviceId"/> to fetch <paramref name="artifactId"/>, valid for <paramref name="lifetime"/> (default <see cref="DefaultLifetime"/>).</summary>
    public DownloadGrant Issue(string deviceId, string artifactId, TimeSpan? lifetime = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(deviceId);
        ArgumentException.ThrowIfNullOrEmpty(artifactId);
        // Whole seconds: the expiry travels as a unix time, and the signature must cover exactly what travels.
        long exp = _time.GetUtcNow().Add(lifetime ?? DefaultLifetime).ToUnixTimeSeconds();
        return new DownloadGrant(deviceId, artifactId, DateTimeOffset.FromUnixTimeSeconds(exp), Sign(deviceId, artifactId, exp));
    }

    /// <summary>
    /// Checks the grant parameters of a request for <paramref name="artifactId"/> made by the authenticated
    /// <paramref name="authenticatedDeviceId"/>. Every refusal names its reason.
    /// </summary>
    public GrantVerdict Verify(string authenticatedDeviceId, string artifactId, string? grantDevice, string? exp, string? sig)
    {
        if (string.IsNullOrEmpty(grantDevice) || string.IsNullOrEmpty(exp) || string.IsNullOrEmpty(sig))
            return GrantVerdict.Refuse("the URL carries no download grant (device, exp and sig query parameters are required)");
        if (!string.Equals(grantDevice, authenticatedDeviceId, StringComparison.Ordinal))
            return GrantVerdict.Refuse($"the grant is for device '{grantDevice}', not for the authenticated device '{authenticatedDeviceId}'");
        if (!long.TryParse(exp, NumberStyles.None, CultureInfo.InvariantCulture, out long expiresAt))
            return GrantVerdict.Refuse($"the grant expiry '{exp}' is not a unix time in seconds");
        long now = _time.GetUtcNow().ToUnixTimeSeconds();
        if (now >= expiresAt)
            return GrantVerdict.Refuse(string.Create(CultureInfo.InvariantCulture,
                $"the grant expired at {DateTimeOffset.FromUnixTimeSeconds(expiresAt):O}; ask the orchestrator for a new download command"));
        Span<char> expected = stackalloc char[SignatureChars];
        SignInto(grantDevice, artifactId, expiresAt, expected);
        if (sig.Length != SignatureChars
            || !CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(expected), MemoryMarshal.AsBytes(sig.AsSpan())))
            return GrantVerdict.Refuse($"the grant signature does not cover artifact '{artifactId}' for device '{grantDevice}' (grant for another artifact, or tampered)");
        return GrantVerdict.Allow;
    }

    private string Sign(string deviceId, string artifactId, long exp)
    {
        Span<char> signature = stackalloc char[SignatureChars];
        SignInto(deviceId, artifactId, exp, signature);
        return new string(signature);
    }

    /// <summary>The base64url HMAC of one grant, written without allocating: the download endpoint checks one per request.</summary>
    private void SignInto(string deviceId, string artifactId, long exp, Span<char> signature)
    {
        int max = Encoding.UTF8.GetMaxByteCount(Domain.Length + deviceId.Length + artifactId.Length + 23);
        byte[]? rented = max > 512 ? ArrayPool<byte>.Shared.Rent(max) : null;
        try
        {
            Span<byte> text = rented ?? stackalloc byte[512];
            if (!Utf8.TryWrite(text, CultureInfo.InvariantCulture, $"{Domain}\n{deviceId}\n{artifactId}\n{exp}", out int length))
                throw new InvalidOperationException("grant text longer than its computed bound");
            Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
            HMACSHA256.HashData(_secret, text[..length], mac);
            Base64Url.EncodeToChars(mac, signature);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
