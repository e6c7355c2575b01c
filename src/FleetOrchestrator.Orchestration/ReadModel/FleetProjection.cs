using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.Devices.Events;
using FleetOrchestrator.Protocol.Messages;

namespace FleetOrchestrator.Orchestration.ReadModel;

/// <summary>
/// Pure projection of device events onto a <see cref="FleetDeviceRow"/>. Mirrors the phase changes of
/// <see cref="UpdateSaga.Apply"/> without keeping the saga's history, so 100k rows stay small; a test replays the same
/// events through both and checks they agree.
/// </summary>
public static class FleetProjection
{
    /// <summary>While rolling back, <see cref="FleetDeviceRow.OutcomeReason"/> already carries the rollback reason.</summary>
    public static FleetDeviceRow Apply(FleetDeviceRow row, IDeviceActorEvent e)
    {
        var r = row with { UpdatedAt = e.At };
        if (e is IFromDevice { Sequence: not null })
            r = r with { LastSeenAt = e.At };
        r = e switch
        {
            DeviceStateObserved o => WithReport(r, o.Report),
            DevicePresenceObserved p => r with { Online = p.Online, LastSeenAt = p.Online ? p.At : r.LastSeenAt },
            DeviceBootObserved b => r with { RunningVersion = b.Version, ActiveBank = b.ActiveBank, ImageState = b.ImageState },
            UpdateRequested u => r with
            {
                UpdateId = u.UpdateId, RolloutId = u.RolloutId, TargetVersion = u.Target.Version, TargetArtifactId = u.Target.ArtifactId,
                Phase = SagaPhase.CheckingVersion,
                Outcome = null, OutcomeReason = null,
            },
            PreflightPassed p => WithReport(r, p.Report),
            DeviceRefused d => Completed(WithReport(r, d.Report), UpdateOutcome.Incompatible, d.Reason),
            AlreadyUpToDate a => Completed(WithReport(r, a.Report), UpdateOutcome.UpToDate, $"already runs {a.Version}"),
            DownloadCommanded => r with { Phase = SagaPhase.Downloading },
            DownloadAttemptFailed or CrcMismatchDetected => r with { Phase = SagaPhase.DownloadBackoff },
            StagedCrcVerified or InactiveBankImageVerified => r with { Phase = SagaPhase.Staged },
            SwapAuthorized => r with { Phase = SagaPhase.AwaitingSwapAck },
            SwapAcknowledged => r with { Phase = SagaPhase.AwaitingBoot },
            BootConfirmed b => r with { Phase = SagaPhase.HealthWindow, RunningVersion = b.Version, ActiveBank = b.ActiveBank, ImageState = Protocol.Messages.ImageState.Trial },
            CommitCommanded => r with { Phase = SagaPhase.Committing },
            LeftoverTrialRollbackCommanded => r with { Phase = SagaPhase.ClearingTrial },
            HealthVerdictAwaited => r with { Phase = SagaPhase.AwaitingHealth },
            RevertAfterCommitObserved v =>
                r with { Outcome = UpdateOutcome.RevertedAfterCommit, OutcomeReason = v.Detail },
            UpdateSucceeded s => Completed(r with { RunningVersion = s.Version, ImageState = Protocol.Messages.ImageState.Committed }, UpdateOutcome.Updated, $"committed {s.Version}"),
            RollbackCommanded c => r with { Phase = SagaPhase.RollingBack, OutcomeReason = r.OutcomeReason ?? c.Reason },
            RollbackAwaitingBootGuard g => r with { Phase = SagaPhase.RollingBack, OutcomeReason = g.Reason },
            RollbackPendingDeclared => r with { Phase = SagaPhase.RollbackPending },
            RollbackCompleted c => Completed(r with { RunningVersion = c.Version, ImageState = Protocol.Messages.ImageState.Committed }, UpdateOutcome.RolledBack, r.OutcomeReason ?? c.Detail),
            SilentRevertDetected v => Completed(r with { RunningVersion = v.Version, ImageState = Protocol.Messages.ImageState.Committed }, UpdateOutcome.RolledBack, $"silent-revert: {v.Detail}"),
            SagaFailed f => Completed(r, UpdateOutcome.Failed, f.Reason),
            DeviceLost l => Completed(r, UpdateOutcome.Lost, l.Reason),
            UpdateCancelled c => Completed(r, UpdateOutcome.Cancelled, c.Reason),
            _ => r,
        };
        // A command journaled inside the event that decided it applies as if it had been journaled on its own, as in UpdateSaga.
        return UpdateSaga.FollowOn(e) is { } then ? Apply(r, then) : r;
    }

    private static FleetDeviceRow WithReport(FleetDeviceRow r, DeviceStateReport report) => r with
    {
        RunningVersion = report.RunningVersion, ActiveBank = report.ActiveBank, ImageState = report.ImageState, HardwareTarget = report.Hardware.Target,
        Hardware = report.Hardware,
    };

    private static FleetDeviceRow Completed(FleetDeviceRow r, UpdateOutcome outcome, string reason) =>
        r with { Phase = SagaPhase.Completed, Outcome = outcome, OutcomeReason = reason };
}
