using FleetOrchestrator.Orchestration.Devices.Events;
using FleetOrchestrator.Protocol.Messages;

namespace FleetOrchestrator.Orchestration.Devices;

/// <summary>
/// The device commands a saga sends, derived from its persisted events (sent only after the event is stored, so a crash
/// never leaves a command in the world that the journal does not know of) and from its current state (for re-sends).
/// </summary>
public static class SagaEffects
{
    /// <summary>The wire reason of the rollback that clears a trial an earlier saga left behind.</summary>
    public const string LeftoverTrialReason = "leftover-trial";

    /// <summary>The command a just-persisted event sends, if any. <paramref name="after"/> is the saga after the event.</summary>
    public static DeviceCommand? CommandFor(IDeviceActorEvent e, UpdateSaga after) => e switch
    {
        _ when UpdateSaga.FollowOn(e) is { } then => CommandFor(then, after),
        UpdateRequested r => new GetState(r.CheckCommandId),
        DownloadCommanded d => new StartDownload(d.CommandId, after.Target.Manifest, after.Target.Url, d.ResumeOffset),
        CrcMismatchDetected c => new EraseStaged(c.EraseCommandId),
        SwapAuthorized s => new AuthorizeSwap(s.CommandId, after.Target.Version, after.Target.Crc),
        CommitCommanded c => new CommitImage(c.CommandId, after.Target.Version),
        RollbackCommanded r => new RollBack(r.CommandId, ReasonTokens.ToToken(r.Reason)),
        RollbackAwaitingBootGuard => new GetState(CommandIds.RollbackStateCheck(after.UpdateId)),
        UpdateCancelled { EraseCommandId: { } erase } => new EraseStaged(erase),
        SagaFailed { EraseCommandId: { } erase } => new EraseStaged(erase),
        LeftoverTrialRollbackCommanded l => new RollBack(l.CommandId, LeftoverTrialReason),
        HealthVerdictAwaited h => new GetState(h.CommandId),
        _ => null,
    };

    /// <summary>
    /// The command the saga is waiting on, to re-send with the same id (after a restart, and on the re-send schedule).
    /// A download is re-sent too: the device answers a repeated id with its latest answer
    /// (PROTOCOL.md §7.2), which recovers a <c>staged</c> or <c>stagingFailed</c> lost on its way; a download that
    /// stays silent is still retried as a new attempt at its deadline.
    /// </summary>
    public static DeviceCommand? Outstanding(UpdateSaga saga) => saga.Phase switch
    {
        SagaPhase.CheckingVersion => new GetState(saga.CurrentCommandId ?? CommandIds.Check(saga.UpdateId)),
        SagaPhase.ClearingTrial =>
            new RollBack(saga.CurrentCommandId ?? CommandIds.ClearTrial(saga.UpdateId), LeftoverTrialReason),
        SagaPhase.AwaitingHealth => new GetState(saga.CurrentCommandId ?? CommandIds.HealthStateCheck(saga.UpdateId)),
        SagaPhase.AwaitingBoot => new GetState(CommandIds.BootStateCheck(saga.UpdateId)),
        SagaPhase.Downloading when saga.CurrentCommandId is { } id =>
            new StartDownload(id, saga.Target.Manifest, saga.Target.Url, saga.ResumeOffset),
        SagaPhase.AwaitingSwapAck => new AuthorizeSwap(saga.CurrentCommandId ?? CommandIds.Swap(saga.UpdateId), saga.Target.Version, saga.Target.Crc),
        SagaPhase.Committing => new CommitImage(saga.CurrentCommandId ?? CommandIds.Commit(saga.UpdateId), saga.Target.Version),
        SagaPhase.RollingBack or SagaPhase.RollbackPending => saga.Rollback == RollbackMode.Commanded
            ? new RollBack(saga.CurrentCommandId ?? CommandIds.Rollback(saga.UpdateId), ReasonTokens.ToToken(saga.RollbackReason))
            : new GetState(CommandIds.RollbackStateCheck(saga.UpdateId)),
        _ => null,
    };

    /// <summary>
    /// What a restarted saga asks besides <see cref="Outstanding"/>: once the swap may have happened (AwaitingSwapAck,
    /// AwaitingBoot), the device's state. Its <c>booted</c> (and the ack before it) may have arrived while the
    /// orchestrator was down, and <c>booted</c> is a fact the device never repeats: without the question the saga sat
    /// out the boot deadline and rolled back an image that had booted fine. The answer goes through the state-report
    /// rules of the phase (target on trial from the other bank confirms the boot; the old version in AwaitingBoot is a
    /// silent revert). In the health window the question is the health verdict: a <c>health</c> published while the
    /// orchestrator was down is never repeated either, but the state report carries it while the image is on trial.
    /// </summary>
    public static DeviceCommand? RecoveryQuestion(UpdateSaga saga) => saga.Phase switch
    {
        SagaPhase.AwaitingSwapAck or SagaPhase.AwaitingBoot => new GetState(CommandIds.BootStateCheck(saga.UpdateId)),
        SagaPhase.HealthWindow when !saga.TrialHealthy => new GetState(CommandIds.HealthStateCheck(saga.UpdateId)),
        _ => null,
    };

    /// <summary>
    /// Whether the phase re-sends periodically (the others wait for a timer). Downloading repeats its command and
    /// AwaitingBoot asks the device's state: its <c>booted</c> is a fact it never repeats, and in a cluster one can be
    /// lost with every
    /// node up (acknowledged to the broker by a node that dies before routing it, or routed to a shard that is moving),
    /// so without the question a live saga sat out the boot deadline. The device answers only after its reset (it acts
    /// on commands one at a time and resets right after acknowledging the swap), so the answer shows the boot's result.
    /// </summary>
    public static bool ResendsPeriodically(SagaPhase phase) =>
        phase is SagaPhase.CheckingVersion or SagaPhase.ClearingTrial or SagaPhase.AwaitingHealth
            or SagaPhase.Downloading or SagaPhase.AwaitingSwapAck or SagaPhase.AwaitingBoot or SagaPhase.Committing
            or SagaPhase.RollingBack or SagaPhase.RollbackPending;
}
