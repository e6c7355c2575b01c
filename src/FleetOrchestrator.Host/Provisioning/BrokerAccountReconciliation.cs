namespace FleetOrchestrator.Host.Provisioning;

/// <summary>
/// What a start-up comparison of the broker's device accounts with the orchestrator's credentials can do. The
/// orchestrator keeps only a salted HMAC of each secret and the plugin only its own PBKDF2 of it, and neither can be
/// turned back into the secret, so an account the broker lost cannot be made again: those devices are
/// <see cref="Missing"/> (revoke and register them again to issue new secrets). Accounts of devices the orchestrator
/// no longer knows (revoked while the broker was unreachable) can and should go: <see cref="ToRemove"/>.
/// </summary>
public sealed record BrokerAccountReconciliation(IReadOnlyList<string> ToRemove, IReadOnlyList<string> Missing)
{
    public static BrokerAccountReconciliation Plan(IEnumerable<string> onBroker, IReadOnlySet<string> provisioned)
    {
        var broker = onBroker.ToHashSet(StringComparer.Ordinal);
        return new BrokerAccountReconciliation(
            broker.Where(id => !provisioned.Contains(id)).Order(StringComparer.Ordinal).ToList(),
            provisioned.Where(id => !broker.Contains(id)).Order(StringComparer.Ordinal).ToList());
    }
}
