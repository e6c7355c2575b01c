namespace FleetOrchestrator.Server.Access;

/// <summary>
/// Where the audit trail is kept. The Host keeps it in the orchestrator's database (every node appends to the same
/// table); <see cref="InMemoryAuditLog"/> is the default for hosts without one (tests, rigs).
/// </summary>
public interface IAuditLog
{
    Task AppendAsync(AuditRecord record, CancellationToken cancellationToken = default);

    Task<AuditSlice> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes the records older than <paramref name="cutoff"/> (<see cref="AuditRetention"/>), at most
    /// <paramref name="limit"/> of them, oldest first; returns how many. Positions of the others do not change.
    /// </summary>
    Task<int> DeleteBeforeAsync(DateTimeOffset cutoff, int limit, CancellationToken cancellationToken = default);
}
