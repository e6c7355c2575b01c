using System.Collections.Immutable;
using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.Orchestration.Devices.Events;
using FleetOrchestrator.Orchestration.Devices.Messages;
using FleetOrchestrator.Protocol.Messages;

namespace FleetOrchestrator.Orchestration.Devices;

/// <summary>
/// The state of one update saga (the current one, or the last finished one). Pure: built only by <see cref="Apply"/>.
/// <see cref="DeadlineGeneration"/> changes with every transition, so a timer armed for an earlier wait is recognised as
/// stale when it fires. <see cref="TrialHealthy"/>: the trial image that booted last reported a passing self-test.
/// </summary>
public sealed record UpdateSaga(
    string UpdateId,
    string? RolloutId,
    UpdateTarget Target,
    UpdatePolicy Policy,
    SagaPhase Phase,
    DateTimeOffset StartedAt,
    SemanticVersion? FromVersion,
    BankId? BankBefore,
    int DownloadAttempt,
    int IntegrityFailures,
    int ResumeOffset,
    bool DeviceAnsweredDownload,
    string? AcceptedCommandId,
    string? CurrentCommandId,
    DateTimeOffset? Deadline,
    int DeadlineGeneration,
    RollbackMode? Rollback,
    string? RollbackReason,
    UpdateOutcome? Outcome,
    string? OutcomeReason,
    DateTimeOffset? CompletedAt,
    ImmutableList<SagaTransition> History,
    bool TrialHealthy = false,
    bool SwapBack = false)
{
    public static UpdateSaga Begin(UpdateRequested r) => new(
        r.UpdateId, r.RolloutId, r.Target, r.Policy, SagaPhase.CheckingVersion, r.At, null, null, 0, 0, 0, false, null,
        r.CheckCommandId, r.Deadline, 1, null, null, null, null, null,
        [new SagaTransition(r.At, nameof(UpdateRequested), SagaPhase.CheckingVersion, $"target {r.Target.Version}")]);

    public UpdateSaga Apply(IDeviceActorEvent e)
    {
        var next = e switch
        {
            PreflightPassed p => this with { FromVersion = p.FromVersion, BankBefore = p.BankBefore, Deadline = null, CurrentCommandId = null },
            DeviceRefused r => Complete(r.At, UpdateOutcome.Incompatible, r.Reason),
            AlreadyUpToDate u => Complete(u.At, UpdateOutcome.UpToDate, $"already runs {u.Version}"),
            LeftoverTrialRollbackCommanded l => this with
            {
                Phase = SagaPhase.ClearingTrial, CurrentCommandId = l.CommandId, Deadline = l.Deadline,
            },
            DownloadCommanded d => this with
            {
                Phase = SagaPhase.Downloading, DownloadAttempt = d.Attempt, CurrentCommandId = d.CommandId, ResumeOffset = d.ResumeOffset,
                Deadline = d.Deadline,
            },
            DownloadAccepted a => this with { DeviceAnsweredDownload = true, AcceptedCommandId = a.CommandId },
            DownloadAttemptFailed f => this with
            {
                Phase = SagaPhase.DownloadBackoff, ResumeOffset = f.ResumeOffset, Deadline = f.RetryAt,
                DeviceAnsweredDownload = DeviceAnsweredDownload || f.Sequence is not null,
            },
            StagedCrcVerified => this with { Phase = SagaPhase.Staged, CurrentCommandId = null, Deadline = null, ResumeOffset = 0 },
            InactiveBankImageVerified => this with
            {
                Phase = SagaPhase.Staged, CurrentCommandId = null, Deadline = null, ResumeOffset = 0, SwapBack = true,
            },
            CrcMismatchDetected c => this with
            {
                Phase = SagaPhase.DownloadBackoff, IntegrityFailures = IntegrityFailures + 1, ResumeOffset = 0, Deadline = c.RetryAt,
                DeviceAnsweredDownload = true, CurrentCommandId = c.EraseCommandId,
            },
            SwapWindowAwaited w =>
                this with { Phase = SagaPhase.Staged, CurrentCommandId = null, Deadline = w.OpensAt },
            SwapAuthorized a => this with { Phase = SagaPhase.AwaitingSwapAck, CurrentCommandId = a.CommandId, Deadline = a.Deadline },
            SwapAcknowledged a => this with { Phase = SagaPhase.AwaitingBoot, Deadline = a.BootDeadline },
            // Every boot runs the self-test again: an earlier verdict is not this boot's.
            BootConfirmed b => this with
            {
                Phase = SagaPhase.HealthWindow, Deadline = b.HealthWindowEnds, CurrentCommandId = null,
                TrialHealthy = false,
            },
            HealthPassed => this with { TrialHealthy = true },
            HealthVerdictAwaited h => this with
            {
                Phase = SagaPhase.AwaitingHealth, CurrentCommandId = h.CommandId, Deadline = h.Deadline,
            },
            CommitCommanded c => this with { Phase = SagaPhase.Committing, CurrentCommandId = c.CommandId, Deadline = c.Deadline },
            UpdateSucceeded u => Complete(u.At, UpdateOutcome.Updated, $"committed {u.Version}"),
            RollbackCommanded r => this with
            {
                Phase = SagaPhase.RollingBack, Rollback = RollbackMode.Commanded, RollbackReason = RollbackReason ?? r.Reason,
                CurrentCommandId = r.CommandId, Deadline = r.Deadline,
            },
            RollbackAwaitingBootGuard r => this with
            {
                Phase = SagaPhase.RollingBack, Rollback = RollbackMode.AwaitBootGuard, RollbackReason = r.Reason,
                CurrentCommandId = CommandIds.RollbackStateCheck(UpdateId), Deadline = r.Deadline,
            },
            RollbackPendingDeclared => this with { Phase = SagaPhase.RollbackPending, Deadline = null },
            RollbackCompleted c => Complete(c.At, UpdateOutcome.RolledBack, RollbackReason ?? c.Detail),
            SilentRevertDetected v => Complete(v.At, UpdateOutcome.RolledBack, $"silent-revert: {v.Detail}"),
            SagaFailed f => Complete(f.At, UpdateOutcome.Failed, f.Reason),
            DeviceLost l => Complete(l.At, UpdateOutcome.Lost, l.Reason),
            UpdateCancelled c => Complete(c.At, UpdateOutcome.Cancelled, c.Reason),
            // The saga stays completed when it ended; only its verdict changes.
            RevertAfterCommitObserved r =>
                this with { Outcome = UpdateOutcome.RevertedAfterCommit, OutcomeReason = r.Detail },
            _ => this,
        };
        next = next with
        {
            DeadlineGeneration = DeadlineGeneration + 1,
            History = History.Add(new SagaTransition(e.At, e.GetType().Name, next.Phase, next.DetailOf(e))),
        };
        // An event that carries the command decided with it applies that command too, so the history reads the same
        // whether the two were journaled as one event or (in older journals) as two.
        return FollowOn(e) is { } then ? next.Apply(then) : next;
    }

    /// <summary>The command event journaled inside <paramref name="e"/> (decided from the same input), if any.</summary>
    public static IDeviceActorEvent? FollowOn(IDeviceActorEvent e) => e switch
    {
        PreflightPassed { FirstDownload: { } download } => download,
        StagedCrcVerified { Swap: { } swap } => swap,
        InactiveBankImageVerified { Swap: { } swap } => swap,
        _ => null,
    };

    private UpdateSaga Complete(DateTimeOffset at, UpdateOutcome outcome, string reason) => this with
    {
        Phase = SagaPhase.Completed, Outcome = outcome, OutcomeReason = reason, CompletedAt = at, Deadline = null, CurrentCommandId = null,
    };

    private string? DetailOf(IDeviceActorEvent e) => e switch
    {
        InactiveBankImageVerified v =>
            $"swap back (no download): {v.Version} crc 0x{v.Crc:X8} is intact in the device's inactive bank",
        DownloadCommanded d when FromVersion is { } from && from > Target.Version =>
            $"attempt {d.Attempt} from offset {d.ResumeOffset}; download previous (downgrade: {from} to "
            + $"{Target.Version}, manifest signed with downgradeAllowed="
            + $"{Target.AllowDowngrade.ToString().ToLowerInvariant()})",
        PreflightPassed p => $"from {p.FromVersion} on {p.BankBefore}",
        DeviceRefused r => r.Reason,
        DownloadCommanded d => $"attempt {d.Attempt} from offset {d.ResumeOffset}",
        DownloadAttemptFailed f => $"attempt {f.Attempt}: {f.Reason}",
        StagedCrcVerified s => $"crc 0x{s.Crc:X8}",
        CrcMismatchDetected c => $"attempt {c.Attempt}: device 0x{c.ReportedCrc:X8} manifest 0x{c.ExpectedCrc:X8}",
        BootConfirmed b => $"{b.Version} on {b.ActiveBank}, trial boot {b.TrialBootCount}",
        RollbackCommanded r => r.Reason,
        RollbackAwaitingBootGuard r => r.Reason,
        RollbackCompleted c => $"{c.Version}: {c.Detail}",
        SilentRevertDetected v => $"{v.Version}: {v.Detail}",
        SagaFailed f => f.Reason,
        DeviceLost l => l.Reason,
        UpdateCancelled c => c.Reason,
        LeftoverTrialRollbackCommanded l => $"{l.TrialVersion} left on trial by an earlier saga",
        HealthPassed h => h.Detail,
        SwapWindowAwaited w => $"outside the maintenance window; the swap waits until {w.OpensAt:O}",
        HealthVerdictAwaited h => $"no health verdict yet; waiting until {h.Deadline:O}",
        RevertAfterCommitObserved r => r.Detail,
        _ => null,
    };
}
