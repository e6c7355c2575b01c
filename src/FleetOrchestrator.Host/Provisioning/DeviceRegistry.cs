using FleetOrchestrator.Mqtt.Security;

namespace FleetOrchestrator.Host.Provisioning;

/// <summary>
/// Provisioning as the running orchestrator does it: the credential file is the record, the broker's credential
/// store (which also guards the image download) follows it. A secret is generated here, returned once, and only its
/// salted hash is kept anywhere.
/// </summary>
/// With an external Mosquitto, <paramref name="mosquittoPasswordFile"/> is kept in step (Mosquitto reads it again on SIGHUP).
public sealed class DeviceRegistry(DeviceCredentialFile file, HashedCredentialStore store, TimeProvider time, string? mosquittoPasswordFile = null)
{
    public DeviceCredentialFile File { get; } = file;

    /// <summary>Loads the file into the store (at start).</summary>
    public int Load() => File.LoadInto(store);

    /// <summary>A new device with a fresh secret; null when the device is already provisioned.</summary>
    public string? Register(string deviceId)
    {
        var secret = DeviceSecrets.Generate();
        if (!File.TryAdd(deviceId, secret, time.GetUtcNow(), out var hash)) return null;
        store.AddDevice(deviceId, hash);
        if (mosquittoPasswordFile is not null) MosquittoPasswordUpdate.Upsert(mosquittoPasswordFile, deviceId, secret);
        return secret;
    }

    /// <summary>Removes the device's credentials from the file and the store: its next connect or download is refused.</summary>
    public bool Revoke(string deviceId)
    {
        var inFile = File.Remove(deviceId);
        var inStore = store.RemoveDevice(deviceId);
        var inMosquitto = mosquittoPasswordFile is not null && MosquittoPasswordUpdate.Remove(mosquittoPasswordFile, deviceId);
        return inFile || inStore || inMosquitto;
    }
}
