namespace FleetOrchestrator.Server.Access;

/// <summary>
/// Where the audit trail is kept. The Host keeps it in the orchestrator's database (every node appends to the same
/// table); <see cref="InMemoryAuditLog"/> is the default for hosts without one (tests, rigs).
/// </summary>
public interface IAuditLog
{
    Task AppendAsync(AuditRecord record, CancellationToken cancellationToken = default);

    Task<AuditSlice> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default);
}
