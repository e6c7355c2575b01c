namespace FleetOrchestrator.Server.Access;

/// <summary>Keys in memory, for hosts without a database (the server's tests, simulation rigs): lost at exit.</summary>
public sealed class InMemoryApiKeyStore : IApiKeyStore
{
    private readonly Lock _lock = new();
    private readonly List<StoredApiKey> _keys = [];

    public Task<StoredApiKey?> FindAsync(string keyId, CancellationToken cancellationToken = default)
    {
        lock (_lock) return Task.FromResult(_keys.Find(k => k.Id == keyId));
    }

    public Task<IReadOnlyList<StoredApiKey>> ListAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock) return Task.FromResult<IReadOnlyList<StoredApiKey>>([.. _keys.OrderBy(k => k.CreatedAt)]);
    }

    public Task<bool> TryAddAsync(StoredApiKey key, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (_keys.Exists(k => k.Id == key.Id || (k.Name == key.Name && k.RevokedAt is null)))
                return Task.FromResult(false);
            _keys.Add(key);
            return Task.FromResult(true);
        }
    }

    public Task<KeyRevocation> RevokeAsync(string keyId, DateTimeOffset at,
        CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var index = _keys.FindIndex(k => k.Id == keyId);
            if (index < 0) return Task.FromResult(KeyRevocation.Unknown);
            var key = _keys[index];
            if (key.RevokedAt is not null) return Task.FromResult(KeyRevocation.AlreadyRevoked);
            var admins = _keys.Count(k => k.Role == OperatorRole.Admin && k.RevokedAt is null);
            if (key.Role == OperatorRole.Admin && admins == 1)
                return Task.FromResult(KeyRevocation.LastAdmin);
            _keys[index] = key with { RevokedAt = at };
            return Task.FromResult(KeyRevocation.Revoked);
        }
    }

    public Task ReplaceAsync(StoredApiKey key, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            _keys.RemoveAll(k => k.Id == key.Id);
            _keys.Add(key);
        }
        return Task.CompletedTask;
    }
}
