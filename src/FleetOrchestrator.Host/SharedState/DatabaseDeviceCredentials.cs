using FleetOrchestrator.Host.Provisioning;
using FleetOrchestrator.Mqtt.Security;
using FleetOrchestrator.Orchestration.Persistence;
using LinqToDB;
using LinqToDB.Data;

namespace FleetOrchestrator.Host.SharedState;

/// <summary>
/// The provisioned devices in the orchestrator's database (table <c>device_credentials</c>, SQLite or PostgreSQL):
/// what <c>device-credentials.json</c> held per data directory, now one record for every node. The broker and the
/// download endpoint look a device up here at each check (<see cref="IDeviceCredentialLookup"/>), so a registration
/// or revocation through any node applies on all of them at the next connect or download.
/// </summary>
public sealed class DatabaseDeviceCredentials : IDeviceCredentialLookup
{
    private readonly DataOptions _data;
    private readonly Lazy<bool> _schema;

    public DatabaseDeviceCredentials(FleetPersistenceOptions persistence)
    {
        ArgumentNullException.ThrowIfNull(persistence);
        _data = FleetDataOptions.Create(persistence);
        _schema = new Lazy<bool>(CreateSchema, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>
    /// The credentials of a data directory's default store (<c>sqlite:DIR/fleet.db</c>), for the offline
    /// <c>fleet devices</c> commands, with the directory's older credential file imported first, as a start of
    /// <c>fleet serve</c> would. A server on PostgreSQL is provisioned through its API instead.
    /// </summary>
    public static DatabaseDeviceCredentials InDataDirectory(string dataDirectory, out string databasePath)
    {
        databasePath = Path.GetFullPath(Path.Combine(dataDirectory, "fleet.db"));
        var persistence = FleetPersistenceOptions.Sqlite(databasePath);
        FleetDataOptions.PrepareDatabase(persistence);
        var credentials = new DatabaseDeviceCredentials(persistence);
        credentials.Import(DeviceCredentialFile.InDataDirectory(dataDirectory).Load());
        return credentials;
    }

    public SaltedSecretHash? Find(string deviceId)
    {
        _ = _schema.Value;
        using var db = new DataConnection(_data);
        var row = db.GetTable<DeviceCredentialRecord>().Where(d => d.DeviceId == deviceId && d.RevokedTicks == null)
            .Select(d => new { d.Salt, d.Hash }).FirstOrDefault();
        return row is null
            ? null
            : SaltedSecretHash.FromStored(Convert.FromBase64String(row.Salt), Convert.FromBase64String(row.Hash));
    }

    /// <summary>Every device with valid credentials, oldest registration first.</summary>
    public IReadOnlyList<StoredDeviceCredential> Load()
    {
        _ = _schema.Value;
        using var db = new DataConnection(_data);
        return [.. db.GetTable<DeviceCredentialRecord>().Where(d => d.RevokedTicks == null)
            .OrderBy(d => d.RegisteredTicks).ThenBy(d => d.DeviceId).AsEnumerable()
            .Select(d => new StoredDeviceCredential(d.DeviceId, d.Salt, d.Hash,
                new DateTimeOffset(d.RegisteredTicks, TimeSpan.Zero)))];
    }

    /// <summary>
    /// Stores the hash of <paramref name="secret"/> for <paramref name="deviceId"/>; false (nothing changed) when the
    /// device already has valid credentials. One statement: of two nodes registering one id at once, one wins.
    /// </summary>
    public bool TryAdd(string deviceId, string secret, DateTimeOffset now, out SaltedSecretHash hash)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        if (ProvisionableDeviceIds.DescribeProblem(deviceId) is { } problem)
            throw new ArgumentException($"'{deviceId}' cannot be a device id: {problem}", nameof(deviceId));
        ArgumentException.ThrowIfNullOrEmpty(secret);
        hash = SaltedSecretHash.Create(System.Text.Encoding.UTF8.GetBytes(secret));
        var entry = new StoredDeviceCredential(deviceId, Convert.ToBase64String(hash.Salt),
            Convert.ToBase64String(hash.Hash), now);
        // A revoked row is replaced (a new secret after a revocation); a valid one is left alone.
        return Insert(entry, "ON CONFLICT (device_id) DO UPDATE SET salt = excluded.salt, hash = excluded.hash, " +
            "registered_ticks = excluded.registered_ticks, revoked_ticks = NULL " +
            "WHERE device_credentials.revoked_ticks IS NOT NULL");
    }

    /// <summary>Revokes the device's credentials; false when it had none.</summary>
    public bool Remove(string deviceId, DateTimeOffset now)
    {
        _ = _schema.Value;
        using var db = new DataConnection(_data);
        return db.GetTable<DeviceCredentialRecord>().Where(d => d.DeviceId == deviceId && d.RevokedTicks == null)
            .Set(d => d.RevokedTicks, now.UtcTicks).Update() > 0;
    }

    /// <summary>
    /// Copies a credential file's entries in; an id the table knows (valid or revoked) is left as the table has it,
    /// so importing the same file again, or an older node's file, changes nothing and revives no revoked device.
    /// Returns how many were new. Entries under reserved ids are skipped, as the file's loader skips them.
    /// </summary>
    public int Import(IEnumerable<StoredDeviceCredential> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        int imported = 0;
        foreach (var entry in entries)
        {
            if (ProvisionableDeviceIds.Reserved.Contains(entry.DeviceId)) continue;
            if (Insert(entry, "ON CONFLICT (device_id) DO NOTHING")) imported++;
        }
        return imported;
    }

    private bool Insert(StoredDeviceCredential entry, string onConflict)
    {
        _ = _schema.Value;
        using var db = new DataConnection(_data);
        return db.Execute(
            "INSERT INTO device_credentials (device_id, salt, hash, registered_ticks, revoked_ticks) " +
            "VALUES (@id, @salt, @hash, @ticks, NULL) " + onConflict,
            new DataParameter("id", entry.DeviceId, DataType.NVarChar),
            new DataParameter("salt", entry.SaltBase64, DataType.NVarChar),
            new DataParameter("hash", entry.HashBase64, DataType.NVarChar),
            new DataParameter("ticks", entry.RegisteredAt.UtcTicks, DataType.Int64)) == 1;
    }

    private bool CreateSchema() => SharedSchema.Create<DeviceCredentialRecord>(_data);
}
