namespace FleetOrchestrator.Server.Downloads;

/// <summary>
/// Checks a device's own secret (the one it also uses for MQTT). Implemented over the broker's credential store by
/// the host. Implementations must compare in constant time and must not throw for unknown devices.
/// </summary>
public interface IDeviceCredentialVerifier
{
    ValueTask<bool> VerifyAsync(string deviceId, string secret, CancellationToken cancellationToken);
}
