using FleetOrchestrator.Orchestration.Devices.Events;
using FleetOrchestrator.Server.Api;

namespace FleetOrchestrator.Host.Adapters;

/// <summary>
/// How a device's fleet-rollback saga returns it to its previous image, read from that saga's history (the saga
/// decides, PROTOCOL.md §8.8): for the rollout's <c>why</c>, which knows only that the rollback saga runs or ended.
/// </summary>
internal static class RollbackPathNote
{
    public const string SwapBack = "swap back (no download)";
    public const string DownloadPrevious = "download previous (downgrade)";

    /// <summary>Null while the saga has not chosen yet (or is not in <paramref name="history"/>).</summary>
    public static string? Of(IEnumerable<SagaHistoryEntry> history, string rollbackUpdateId)
    {
        var steps = history.Where(h => h.SagaId == rollbackUpdateId).Select(h => h.Event).ToList();
        if (steps.Contains(nameof(InactiveBankImageVerified))) return SwapBack;
        return steps.Contains(nameof(DownloadCommanded)) ? DownloadPrevious : null;
    }
}
