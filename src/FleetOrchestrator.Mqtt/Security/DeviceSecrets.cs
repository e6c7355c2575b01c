using System.Security.Cryptography;
using System.Text;

namespace FleetOrchestrator.Mqtt.Security;

/// <summary>
/// Device secrets: random 256-bit values rendered as base64url text (the MQTT password). <see cref="Derive"/> lets a
/// provisioning tool or the simulator compute every device's secret from one fleet key instead of storing 10,000 of them.
/// </summary>
public static class DeviceSecrets
{
    public static string Generate() => Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>HMAC-SHA256(fleetKey, deviceId): the same key and id always give the same secret.</summary>
    public static string Derive(ReadOnlySpan<byte> fleetKey, string deviceId)
    {
        ArgumentException.ThrowIfNullOrEmpty(deviceId);
        if (fleetKey.Length < 16) throw new ArgumentException("a fleet key must be at least 16 bytes", nameof(fleetKey));
        return Base64Url(HMACSHA256.HashData(fleetKey, Encoding.UTF8.GetBytes(deviceId)));
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
