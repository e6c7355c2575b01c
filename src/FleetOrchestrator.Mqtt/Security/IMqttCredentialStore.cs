namespace FleetOrchestrator.Mqtt.Security;

/// <summary>
/// Where the embedded broker looks up who may connect. Stores never hold secrets in clear, only salted hashes, so a dump
/// of the store does not let anyone impersonate a device.
/// </summary>
public interface IMqttCredentialStore
{
    /// <summary>Checks <paramref name="secret"/> for <paramref name="userName"/>. Must be safe to call concurrently.</summary>
    CredentialCheck Verify(string userName, ReadOnlySpan<byte> secret);
}
