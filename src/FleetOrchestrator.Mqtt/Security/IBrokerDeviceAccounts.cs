namespace FleetOrchestrator.Mqtt.Security;

/// <summary>
/// A broker's own device accounts, kept in step with the orchestrator's provisioning (Mosquitto's dynamic security
/// plugin: <c>Mosquitto/DynamicSecurity/MosquittoDeviceAccounts</c>). Every method throws when the broker refuses or
/// cannot be reached, so the caller can undo its side.
/// </summary>
public interface IBrokerDeviceAccounts
{
    /// <summary>Creates (or replaces) the device's account: user name = client id = device id, its own topics only.</summary>
    Task AddDeviceAsync(string deviceId, string secret, CancellationToken cancellationToken);

    /// <summary>Deletes the device's account (the broker drops its connection); false when it had none.</summary>
    Task<bool> RemoveDeviceAsync(string deviceId, CancellationToken cancellationToken);

    /// <summary>The device ids that have an account on the broker.</summary>
    Task<IReadOnlyList<string>> ListDevicesAsync(CancellationToken cancellationToken);
}
