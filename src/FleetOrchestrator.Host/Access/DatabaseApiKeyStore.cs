using FleetOrchestrator.Orchestration.Persistence;
using FleetOrchestrator.Server.Access;
using LinqToDB;
using LinqToDB.Async;
using LinqToDB.Data;

namespace FleetOrchestrator.Host.Access;

/// <summary>
/// API keys in the orchestrator's database (table <c>api_keys</c>, beside the journal; SQLite or PostgreSQL), so every
/// node signs in the same keys and a revocation applies at the next request everywhere. Only salted hashes.
/// </summary>
public sealed class DatabaseApiKeyStore : IApiKeyStore
{
    private readonly DataOptions _data;
    private readonly bool _postgres;
    private readonly Lazy<Task> _schema;

    public DatabaseApiKeyStore(FleetPersistenceOptions persistence)
    {
        ArgumentNullException.ThrowIfNull(persistence);
        _data = FleetDataOptions.Create(persistence);
        _postgres = persistence.Database == FleetDatabase.Postgres;
        _schema = new Lazy<Task>(() => Task.Run(CreateSchema), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public async Task<StoredApiKey?> FindAsync(string keyId, CancellationToken cancellationToken = default)
    {
        await _schema.Value.ConfigureAwait(false);
        await using var db = new DataConnection(_data);
        var record = await db.GetTable<ApiKeyRecord>().Where(k => k.KeyId == keyId)
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return record?.ToKey();
    }

    public async Task<IReadOnlyList<StoredApiKey>> ListAsync(CancellationToken cancellationToken = default)
    {
        await _schema.Value.ConfigureAwait(false);
        await using var db = new DataConnection(_data);
        var records = await db.GetTable<ApiKeyRecord>().OrderBy(k => k.CreatedTicks).ThenBy(k => k.KeyId)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. records.Select(r => r.ToKey())];
    }

    public async Task<bool> TryAddAsync(StoredApiKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        await _schema.Value.ConfigureAwait(false);
        await using var db = new DataConnection(_data);
        await using var transaction = await db.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await LockAsync(db, cancellationToken).ConfigureAwait(false);
        var taken = await db.GetTable<ApiKeyRecord>()
            .AnyAsync(k => k.KeyId == key.Id || (k.Name == key.Name && k.RevokedTicks == null), cancellationToken)
            .ConfigureAwait(false);
        if (taken) return false;
        await db.InsertAsync(ApiKeyRecord.From(key), token: cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<KeyRevocation> RevokeAsync(string keyId, DateTimeOffset at,
        CancellationToken cancellationToken = default)
    {
        await _schema.Value.ConfigureAwait(false);
        await using var db = new DataConnection(_data);
        await using var transaction = await db.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await LockAsync(db, cancellationToken).ConfigureAwait(false);
        var keys = db.GetTable<ApiKeyRecord>();
        var admin = OperatorRole.Admin.Name();
        // One conditional statement: on SQLite it runs under the write lock, on PostgreSQL under the table lock.
        var revoked = await keys
            .Where(k => k.KeyId == keyId && k.RevokedTicks == null &&
                        (k.Role != admin || keys.Count(o => o.Role == admin && o.RevokedTicks == null) > 1))
            .Set(k => k.RevokedTicks, at.UtcTicks)
            .UpdateAsync(cancellationToken).ConfigureAwait(false);
        KeyRevocation outcome;
        if (revoked == 1)
        {
            outcome = KeyRevocation.Revoked;
        }
        else
        {
            var stored = await keys.Where(k => k.KeyId == keyId).FirstOrDefaultAsync(cancellationToken)
                .ConfigureAwait(false);
            outcome = stored is null ? KeyRevocation.Unknown
                : stored.RevokedTicks is not null ? KeyRevocation.AlreadyRevoked
                : KeyRevocation.LastAdmin;
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return outcome;
    }

    public async Task ReplaceAsync(StoredApiKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        await _schema.Value.ConfigureAwait(false);
        await using var db = new DataConnection(_data);
        await db.InsertOrReplaceAsync(ApiKeyRecord.From(key), token: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>PostgreSQL reads committed data per statement: concurrent revocations of two admin keys could each
    /// see the other still valid. The table lock serializes them (SQLite has one writer anyway).</summary>
    private async Task LockAsync(DataConnection db, CancellationToken cancellationToken)
    {
        if (_postgres)
            await db.ExecuteAsync("LOCK TABLE api_keys IN SHARE ROW EXCLUSIVE MODE", cancellationToken)
                .ConfigureAwait(false);
    }

    private void CreateSchema()
    {
        using var db = new DataConnection(_data);
        db.CreateTable<ApiKeyRecord>(tableOptions: TableOptions.CreateIfNotExists);
    }
}
