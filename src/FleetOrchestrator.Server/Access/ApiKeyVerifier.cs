using FleetOrchestrator.Server.Api;
using Microsoft.Extensions.Logging;

namespace FleetOrchestrator.Server.Access;

/// <summary>
/// Signs keys in against <see cref="IApiKeyStore"/> (read at every request, so a revocation on any node applies at
/// once), and keeps the stored bootstrap key in step with the configured one (<see cref="SyncBootstrapAsync"/>).
/// </summary>
public sealed class ApiKeyVerifier(IApiKeyStore store, TimeProvider time, ILogger<ApiKeyVerifier> logger)
{
    /// <summary>The key <paramref name="presented"/> is, or null with the reason it is refused.</summary>
    public async Task<(StoredApiKey? Key, string? Refusal)> VerifyAsync(string presented,
        CancellationToken cancellationToken = default)
    {
        var id = ApiKeySecrets.ClaimedId(presented);
        var stored = id.Length == 0 ? null : await store.FindAsync(id, cancellationToken).ConfigureAwait(false);
        if (stored is null || !ApiKeySecrets.Matches(stored, presented))
            return (null, "the bearer API key is not a key of this server");
        if (stored.RevokedAt is { } revoked)
            return (null, $"the API key '{stored.Id}' was revoked at {revoked:O}");
        return (stored, null);
    }

    /// <summary>
    /// The bootstrap key (the one whose SHA-256 the options or the data directory hold) is the first admin key.
    /// Stored again only when its hash changed, so a revoked bootstrap key stays revoked across restarts.
    /// </summary>
    public async Task SyncBootstrapAsync(OperatorApiKey bootstrap, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bootstrap);
        var digest = bootstrap.Sha256();
        var stored = await store.FindAsync(ApiKeySecrets.BootstrapKeyId, cancellationToken).ConfigureAwait(false);
        if (stored is not null && ApiKeySecrets.MatchesDigest(stored, digest)) return;
        var (salt, hash) = ApiKeySecrets.FromDigest(digest);
        await store.ReplaceAsync(new StoredApiKey(ApiKeySecrets.BootstrapKeyId, ApiKeySecrets.BootstrapKeyName,
            OperatorRole.Admin, salt, hash, time.GetUtcNow(), "(configuration)", null), cancellationToken)
            .ConfigureAwait(false);
        logger.LogInformation(stored is null
            ? "The bootstrap operator key is the admin key '{Id}'"
            : "The bootstrap operator key changed: the admin key '{Id}' now takes the new one",
            ApiKeySecrets.BootstrapKeyId);
    }
}
