using FleetOrchestrator.Server.Access;

namespace FleetOrchestrator.Server.Api.Access;

/// <summary>The answer of <c>GET /api/audit</c>: records newest first and the cursor of the next (older) page, or
/// null when there is none.</summary>
public sealed record AuditPage(IReadOnlyList<AuditRecord> Items, string? Next);
