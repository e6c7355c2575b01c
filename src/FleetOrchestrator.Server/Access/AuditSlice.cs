namespace FleetOrchestrator.Server.Access;

/// <summary>One page of the audit trail and, when older records match, the position to continue before.</summary>
public sealed record AuditSlice(IReadOnlyList<AuditRecord> Items, long? NextBefore);
