using FleetOrchestrator.Server.Api;
using FleetOrchestrator.Server.Hosting;

namespace FleetOrchestrator.Host.Provisioning;

/// <summary>
/// First start of <c>fleet serve</c>: creates the operator API key before the server would, so the command can print
/// it plainly on its own output rather than in a log line. Only the key's SHA-256 is written (where the server reads
/// it); the key itself exists only in the returned string.
/// </summary>
public static class OperatorKeyBootstrap
{
    /// <summary>
    /// The new key when one was created now; null when a hash is configured or already stored. With
    /// <paramref name="shared"/> (the database) the hash goes there, unless the data directory holds one: the server
    /// imports that at start.
    /// </summary>
    public static string? EnsureKey(FleetServerOptions server, ISharedServerSecrets? shared = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        if (server.OperatorApiKeySha256 is not null) return null;
        var path = Path.Combine(server.ResolveDataDirectory(), ServerSecrets.OperatorKeyHashFileName);
        if (File.Exists(path)) return null;
        if (shared is not null)
        {
            var generated = OperatorApiKey.GenerateKey();
            var hash = OperatorApiKey.Sha256Hex(generated);
            // Another node may have stored one first: then that one is the bootstrap key, and none is shown here.
            return shared.GetOrAdd(ServerSecrets.SharedOperatorKeyHashName, () => hash) == hash ? generated : null;
        }
        var key = OperatorApiKey.GenerateKey();
        AtomicFile.WriteAllText(path, OperatorApiKey.Sha256Hex(key) + "\n", ownerOnly: true);
        return key;
    }
}
