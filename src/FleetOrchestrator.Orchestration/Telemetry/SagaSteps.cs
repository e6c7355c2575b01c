using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.Devices.Events;

namespace FleetOrchestrator.Orchestration.Telemetry;

/// <summary>
/// Which saga step an event ends, and when that step began, read from the saga's own history (pure). The times are
/// the events' (the actor system's clock), so a recovered saga times its steps as journaled, not as replayed.
/// </summary>
public static class SagaSteps
{
    public const string Download = "download";
    public const string SwapToBoot = "swap_to_boot";
    public const string Health = "health";
    public const string Update = "update";

    /// <summary>The steps every timing is one of, in saga order.</summary>
    public static IReadOnlyList<string> All { get; } = [Download, SwapToBoot, Health, Update];

    /// <summary>
    /// The step <paramref name="e"/> (already applied to <paramref name="saga"/>) ends: the download at the verified
    /// CRC (from the first download command, retries included), swap-to-boot at the confirmed boot (from the swap
    /// authorization), the health window at the commit command (from the boot), the whole update when the saga
    /// completes. Null for every other event.
    /// </summary>
    public static SagaStepTiming? Ended(UpdateSaga saga, IDeviceActorEvent e) => e switch
    {
        StagedCrcVerified s => Since(saga, nameof(DownloadCommanded), first: true, Download, s.At),
        BootConfirmed b => Since(saga, nameof(SwapAuthorized), first: false, SwapToBoot, b.At),
        CommitCommanded c => Since(saga, nameof(BootConfirmed), first: false, Health, c.At),
        _ when saga is { Phase: SagaPhase.Completed, CompletedAt: { } done } && done == e.At
            && e is not (DeviceStateObserved or DevicePresenceObserved or DeviceBootObserved
                or RevertAfterCommitObserved)
            => new SagaStepTiming(Update, saga.StartedAt, done),
        _ => null,
    };

    private static SagaStepTiming? Since(UpdateSaga saga, string fact, bool first, string step, DateTimeOffset end)
    {
        var history = saga.History;
        if (first)
        {
            for (var i = 0; i < history.Count; i++)
                if (history[i].Fact == fact) return new SagaStepTiming(step, history[i].At, end);
        }
        else
        {
            for (var i = history.Count - 1; i >= 0; i--)
                if (history[i].Fact == fact) return new SagaStepTiming(step, history[i].At, end);
        }
        return null;
    }
}
