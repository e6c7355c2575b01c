namespace FleetOrchestrator.Server.Access;

/// <summary>
/// Where API keys are kept. The server holds only <see cref="StoredApiKey"/> (salted hashes); the Host keeps them in
/// the orchestrator's database so every node sees the same keys, and a revocation takes effect at the next request.
/// <see cref="InMemoryApiKeyStore"/> is the default for hosts without a database (tests, rigs).
/// </summary>
public interface IApiKeyStore
{
    Task<StoredApiKey?> FindAsync(string keyId, CancellationToken cancellationToken = default);

    /// <summary>Every key, revoked ones included, oldest first.</summary>
    Task<IReadOnlyList<StoredApiKey>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Adds the key; false (nothing stored) when a key that is not revoked already has its name.</summary>
    Task<bool> TryAddAsync(StoredApiKey key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Revokes in one step that cannot race another revocation: the last admin key that is not revoked is refused.
    /// </summary>
    Task<KeyRevocation> RevokeAsync(string keyId, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores the key, replacing one with the same id (whatever its state): how the bootstrap key
    /// (<see cref="ApiKeySecrets.BootstrapKeyId"/>) follows the configured hash.
    /// </summary>
    Task ReplaceAsync(StoredApiKey key, CancellationToken cancellationToken = default);
}
