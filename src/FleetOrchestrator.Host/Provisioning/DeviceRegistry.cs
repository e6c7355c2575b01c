using FleetOrchestrator.Host.SharedState;
using FleetOrchestrator.Mqtt.Security;

namespace FleetOrchestrator.Host.Provisioning;

/// <summary>
/// Provisioning as the running orchestrator does it: the credential file is the record, the broker's credential
/// store (which also guards the image download) follows it. A secret is generated here, returned once, and only its
/// salted hash is kept anywhere.
/// </summary>
/// With an external Mosquitto, <paramref name="mosquittoPasswordFile"/> is kept in step (Mosquitto reads it again on SIGHUP).
/// With <paramref name="database"/> (what <c>fleet serve</c> uses), the database is the record instead of the file,
/// and the broker's store asks it at each check; the file is only imported from (see <see cref="Load"/>).
public sealed class DeviceRegistry(DeviceCredentialFile file, DatabaseDeviceCredentials? database,
    HashedCredentialStore store, TimeProvider time, string? mosquittoPasswordFile = null)
{
    /// <summary>The file is the record (no database).</summary>
    public DeviceRegistry(DeviceCredentialFile file, HashedCredentialStore store, TimeProvider time,
        string? mosquittoPasswordFile = null)
        : this(file, null, store, time, mosquittoPasswordFile)
    {
    }

    /// <summary>The credential file: the record without a database, else where older credentials are imported
    /// from.</summary>
    public DeviceCredentialFile File { get; } = file;

    /// <summary>The record when the credentials live in the database; null when the file is the record.</summary>
    public DatabaseDeviceCredentials? Database { get; } = database;

    /// <summary>How many of the file's entries the last <see cref="Load"/> imported into the database.</summary>
    public int ImportedAtStart { get; private set; }

    /// <summary>
    /// At start. Without a database: loads the file into the store. With one: imports the file's entries the
    /// database does not know yet (every start, so nothing is ever lost; revoked ids stay revoked) and counts the
    /// provisioned devices.
    /// </summary>
    public int Load()
    {
        if (Database is null) return File.LoadInto(store);
        ImportedAtStart = Database.Import(File.Load());
        return Database.Load().Count;
    }

    /// <summary>A new device with a fresh secret; null when the device is already provisioned.</summary>
    public string? Register(string deviceId)
    {
        var secret = DeviceSecrets.Generate();
        if (Database is not null)
        {
            // Not into the store's memory: another node may revoke it, and only the database would know.
            if (!Database.TryAdd(deviceId, secret, time.GetUtcNow(), out _)) return null;
        }
        else
        {
            if (!File.TryAdd(deviceId, secret, time.GetUtcNow(), out var hash)) return null;
            store.AddDevice(deviceId, hash);
        }
        if (mosquittoPasswordFile is not null) MosquittoPasswordUpdate.Upsert(mosquittoPasswordFile, deviceId, secret);
        return secret;
    }

    /// <summary>Removes the device's credentials from the file and the store: its next connect or download is refused.</summary>
    public bool Revoke(string deviceId)
    {
        var inFile = Database?.Remove(deviceId, time.GetUtcNow()) ?? File.Remove(deviceId);
        var inStore = store.RemoveDevice(deviceId);
        var inMosquitto = mosquittoPasswordFile is not null && MosquittoPasswordUpdate.Remove(mosquittoPasswordFile, deviceId);
        return inFile || inStore || inMosquitto;
    }
}
