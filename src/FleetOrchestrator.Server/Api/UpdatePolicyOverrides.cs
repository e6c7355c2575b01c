namespace FleetOrchestrator.Server.Api;

/// <summary>
/// The saga timing an update order sets for itself (<c>POST /api/updates</c> <c>policy</c>); null members keep the
/// orchestrator's defaults (the Orchestration project's <c>UpdatePolicy</c>, documented in PROTOCOL.md §12).
/// </summary>
public sealed record UpdatePolicyOverrides
{
    public TimeSpan? ReachTimeout { get; init; }
    public int? MaxDownloadAttempts { get; init; }
    public TimeSpan? DownloadAttemptTimeout { get; init; }
    public TimeSpan? BackoffBase { get; init; }
    public TimeSpan? BackoffCap { get; init; }
    public int? MaxIntegrityFailures { get; init; }
    public TimeSpan? SwapAckTimeout { get; init; }
    public TimeSpan? BootTimeout { get; init; }
    public TimeSpan? HealthWindow { get; init; }
    public TimeSpan? HealthReportDeadline { get; init; }
    public TimeSpan? CommitTimeout { get; init; }
    public TimeSpan? RollbackTimeout { get; init; }
    public TimeSpan? ResendInterval { get; init; }
    public TimeSpan? ResendIntervalCap { get; init; }
}
