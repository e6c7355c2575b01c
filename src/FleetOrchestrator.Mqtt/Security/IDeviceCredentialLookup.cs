namespace FleetOrchestrator.Mqtt.Security;

/// <summary>
/// Device credentials kept outside the process (the orchestrator's database), asked at every check, so a device
/// registered or revoked through any node of a deployment is known or refused by all of them at once.
/// </summary>
public interface IDeviceCredentialLookup
{
    /// <summary>The device's stored hash, or null when it has no valid credentials.</summary>
    SaltedSecretHash? Find(string deviceId);
}
