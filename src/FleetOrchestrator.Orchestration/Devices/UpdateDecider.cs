using FleetOrchestrator.Orchestration.Devices.Events;
using FleetOrchestrator.Orchestration.Devices.Messages;
using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.Protocol.Messages;

namespace FleetOrchestrator.Orchestration.Devices;

/// <summary>
/// The saga's decide step: (state, input, now) -> events to persist (+ reply). Pure: no actor, no clock, no I/O, so
/// every transition is unit-testable and the actor only persists what this returns. Device answers that are stale
/// (sequence at or below the last seen) or meant for another command id are dropped here.
/// </summary>
public static class UpdateDecider
{
    public static Decision Decide(DeviceState state, object input, DateTimeOffset now, DeviceContext context) => input switch
    {
        StartUpdate start => Start(state, start, now),
        ActivateUpdate activate => Activate(state, activate, now),
        CancelUpdate cancel => Cancel(state, cancel, now),
        DeadlineReached deadline => state.Saga is { } saga && saga.Deadline is not null && deadline.Generation == saga.DeadlineGeneration
            ? Deadline(saga, now, context)
            : Decision.Nothing,
        DeviceEventReceived { Event: var ev } => ev.Sequence <= context.LastSeenSequence ? Decision.Nothing : OnDeviceEvent(state, ev, now),
        DeviceStateReceived { State: var report } => OnReport(state, null, report, now, retained: true),
        DevicePresenceReceived presence => presence.Online == state.Online
            ? Decision.Nothing
            : Decision.Of(new DevicePresenceObserved(now, presence.Online)),
        _ => Decision.Nothing,
    };

    // ---------------------------------------------------------------- requests

    private static Decision Start(DeviceState state, StartUpdate start, DateTimeOffset now)
    {
        if (state.Saga is { } saga && (saga.UpdateId == start.UpdateId || state.HasActiveSaga))
        {
            var same = saga.UpdateId == start.UpdateId;
            return Decision.ReplyOnly(new SagaRequestReply(state.DeviceId, start.UpdateId, same,
                same ? "already started" : $"busy: update {saga.UpdateId} is in {saga.Phase}", saga.Phase));
        }
        if ((CommandIds.DescribeUpdateIdProblem(start.UpdateId, start.Policy.MaxDownloadAttempts) ?? start.Policy.DescribeProblem()) is { } problem)
            return Decision.ReplyOnly(new SagaRequestReply(state.DeviceId, start.UpdateId, false, "invalid: " + problem, state.Saga?.Phase ?? SagaPhase.None));
        var requested = new UpdateRequested(now, start.UpdateId, start.RolloutId, start.Target, start.Policy,
            CommandIds.Check(start.UpdateId), now + start.Policy.ReachTimeout);
        return new Decision([requested], new SagaRequestReply(state.DeviceId, start.UpdateId, true, null, SagaPhase.CheckingVersion));
    }

    private static Decision Activate(DeviceState state, ActivateUpdate activate, DateTimeOffset now)
    {
        if (state.Saga is not { } saga || saga.UpdateId != activate.UpdateId)
            return Decision.ReplyOnly(new SagaRequestReply(state.DeviceId, activate.UpdateId, false, "no such update on this device", state.Saga?.Phase ?? SagaPhase.None));
        if (saga.Phase != SagaPhase.Staged)
            return Decision.ReplyOnly(new SagaRequestReply(state.DeviceId, activate.UpdateId, saga.Phase > SagaPhase.Staged,
                saga.Phase > SagaPhase.Staged ? "already activated" : $"not staged yet ({saga.Phase})", saga.Phase));
        if (saga.Deadline is not null) // activated before, waiting for the window
            return Decision.ReplyOnly(new SagaRequestReply(state.DeviceId, activate.UpdateId, true,
                SwapWindow.AwaitingReason, saga.Phase));
        return SwapOrAwaitWindow(saga, now) is var swap && swap is SwapAuthorized
            ? new Decision([swap], new SagaRequestReply(state.DeviceId, activate.UpdateId, true, null,
                SagaPhase.AwaitingSwapAck))
            : new Decision([swap], new SagaRequestReply(state.DeviceId, activate.UpdateId, true,
                SwapWindow.AwaitingReason, SagaPhase.Staged));
    }

    private static Decision Cancel(DeviceState state, CancelUpdate cancel, DateTimeOffset now)
    {
        if (state.Saga is not { } saga || saga.UpdateId != cancel.UpdateId)
            return Decision.ReplyOnly(new SagaRequestReply(state.DeviceId, cancel.UpdateId, false, "no such update on this device", state.Saga?.Phase ?? SagaPhase.None));
        var reason = "operator: " + cancel.Reason;
        IDeviceActorEvent? e = saga.Phase switch
        {
            // ClearingTrial: the leftover trial's rollback may already run; the device ends on its committed image
            // either way.
            SagaPhase.CheckingVersion or SagaPhase.ClearingTrial => new UpdateCancelled(now, reason, null),
            // A swap back staged nothing: the other bank holds the device's kept previous image, not ours to erase.
            SagaPhase.Staged when saga.SwapBack => new UpdateCancelled(now, reason, null),
            SagaPhase.Downloading or SagaPhase.DownloadBackoff or SagaPhase.Staged => new UpdateCancelled(now, reason, CommandIds.CancelErase(saga.UpdateId)),
            // The swap may or may not have happened: only the device's next report tells. A trial image that keeps
            // failing is reverted by the boot guard; one that reports is rolled back by command (RollingBack).
            SagaPhase.AwaitingSwapAck or SagaPhase.AwaitingBoot => new RollbackAwaitingBootGuard(now, null, reason, now + saga.Policy.RollbackTimeout),
            SagaPhase.HealthWindow or SagaPhase.AwaitingHealth or SagaPhase.Committing =>
                CommandRollback(saga, null, reason, now),
            _ => null,
        };
        return e is null
            ? Decision.ReplyOnly(new SagaRequestReply(state.DeviceId, cancel.UpdateId, false, $"nothing to cancel in {saga.Phase}", saga.Phase))
            : new Decision([e], new SagaRequestReply(state.DeviceId, cancel.UpdateId, true, null, saga.Phase));
    }

    // ---------------------------------------------------------------- deadlines

    private static Decision Deadline(UpdateSaga saga, DateTimeOffset now, DeviceContext context)
    {
        var p = saga.Policy;
        return saga.Phase switch
        {
            SagaPhase.CheckingVersion => Decision.Of(new DeviceLost(now, $"no state report within {p.ReachTimeout}")),
            SagaPhase.Downloading => DownloadAttemptFailedOrGiveUp(saga, null, "timeout: no staged report", Math.Max(saga.ResumeOffset, context.DownloadedBytes), now),
            SagaPhase.DownloadBackoff => Decision.Of(CommandDownload(saga, saga.DownloadAttempt + 1, saga.ResumeOffset, now)),
            SagaPhase.Staged => Decision.Of(SwapOrAwaitWindow(saga, now)),
            SagaPhase.AwaitingSwapAck => Decision.Of(new DeviceLost(now, $"swap not acknowledged within {p.SwapAckTimeout}")),
            SagaPhase.AwaitingBoot => Decision.Of(new RollbackAwaitingBootGuard(now, null, $"boot-deadline: no boot report within {p.BootTimeout}", now + p.RollbackTimeout)),
            SagaPhase.ClearingTrial =>
                Decision.Of(new DeviceLost(now, $"leftover trial not rolled back within {p.RollbackTimeout}")),
            // Commit only on a passing verdict; silence (a lost report, a sleeping device) is asked about, not
            // trusted.
            SagaPhase.HealthWindow => saga.TrialHealthy
                ? Decision.Of(CommandCommit(saga, now))
                : Decision.Of(new HealthVerdictAwaited(now, CommandIds.HealthStateCheck(saga.UpdateId),
                    now + p.HealthReportDeadline)),
            SagaPhase.AwaitingHealth => Decision.Of(CommandRollback(saga, null,
                $"health-unreported: no health verdict within {p.HealthReportDeadline} after the health window", now)),
            SagaPhase.Committing => Decision.Of(new DeviceLost(now, $"commit not confirmed within {p.CommitTimeout}")),
            SagaPhase.RollingBack => Decision.Of(new RollbackPendingDeclared(now)),
            _ => Decision.Nothing,
        };
    }

    // ---------------------------------------------------------------- device traffic

    private static Decision OnDeviceEvent(DeviceState state, DeviceEvent ev, DateTimeOffset now)
    {
        if (ev is StateReported reported)
            return OnReport(state, reported.Sequence, reported.State, now, retained: false);
        var decided = state.HasActiveSaga ? OnSagaEvent(state.Saga!, ev, now) : Decision.Nothing;
        if (decided.Events.Count == 0 && ev is DeviceBooted b)
        {
            var observed =
                new DeviceBootObserved(now, b.Sequence, b.Version, b.ActiveBank, b.ImageState, b.ResetCause);
            var source = $"booted {b.Version} ({b.ResetCause})";
            return RevertAfterCommit(state, b.Sequence, b.Version, source, now) is { } revert
                ? Decision.Of(observed, revert)
                : Decision.Of(observed);
        }
        return decided;
    }

    private static Decision OnReport(DeviceState state, long? seq, DeviceStateReport report, DateTimeOffset now, bool retained)
    {
        if (state.HasActiveSaga)
        {
            var saga = state.Saga!;
            var decided = saga.Phase switch
            {
                // A retained trial state may be older than the device's trial (it commits or reverts meanwhile):
                // only a reported one clears it.
                SagaPhase.CheckingVersion when retained && report.ImageState == ImageState.Trial => Decision.Nothing,
                SagaPhase.CheckingVersion => RunPreflight(saga, seq, report, now),
                _ when retained => Decision.Nothing,
                // The leftover trial is gone once the device reports a committed image: the version check goes on
                // from there.
                SagaPhase.ClearingTrial => report.ImageState == ImageState.Committed
                    ? RunPreflight(saga, seq, report, now)
                    : Decision.Nothing,
                _ => OnRunningVersion(saga, seq, report, "state report", now),
            };
            // While the saga runs, its own events record what it acts on in a report (running image, bank, trial or
            // committed); the full report is journaled again once the saga has ended (the device reports after every
            // step, the last one after its commit or rollback). Journaling each step's report too cost 2 of the 15
            // events of an update.
            return decided;
        }
        // A retained state is never judged (it may predate the saga); a reported one is, even when it equals the last
        // report (which, after a saga, is the one its preflight saw: the version before the update).
        var revert = retained ? null : RevertAfterCommit(state, seq, report.RunningVersion, "state report", now);
        if (report == state.LastReport && revert is null)
            return Decision.Nothing;
        var observed = new DeviceStateObserved(now, seq, report);
        return revert is null ? Decision.Of(observed) : Decision.Of(observed, revert);
    }

    /// <summary>
    /// The device left the version its last saga committed: a fact of its own (once per saga), so the update that
    /// launched it counts a failure instead of the success it counted.
    /// </summary>
    private static RevertAfterCommitObserved? RevertAfterCommit(
        DeviceState state, long? seq, SemanticVersion running, string source, DateTimeOffset now) =>
        state.Saga is { Phase: SagaPhase.Completed, Outcome: UpdateOutcome.Updated } saga
        && running != saga.Target.Version
            ? new RevertAfterCommitObserved(now, seq, saga.UpdateId, saga.RolloutId, saga.Target.Version, running,
                $"revert-after-commit: {source}: runs {running}, update {saga.UpdateId} committed "
                + saga.Target.Version)
            : null;

    private static Decision RunPreflight(UpdateSaga saga, long? seq, DeviceStateReport report, DateTimeOffset now) =>
        report.ImageState == ImageState.Trial
            ? Decision.Of(new LeftoverTrialRollbackCommanded(now, seq, report.RunningVersion,
                CommandIds.ClearTrial(saga.UpdateId), now + saga.Policy.RollbackTimeout))
            : Preflight.Check(report, saga.Target) switch
        {
            PreflightVerdict.UpToDate => Decision.Of(new AlreadyUpToDate(now, seq, report.RunningVersion, report)),
            PreflightVerdict.Refuse r => Decision.Of(new DeviceRefused(now, seq, r.Reason, report)),
            _ when HoldsTargetIntact(report, saga.Target) => SwapBackWithoutDownload(saga, seq, report, now),
            _ => Decision.Of(new PreflightPassed(now, seq, report.RunningVersion, report.ActiveBank, report, CommandDownload(saga, 1, 0, now))),
        };

    /// <summary>
    /// PROTOCOL.md §8.8: the inactive bank holds the target, proved intact by the device's CRC unit just now, and its
    /// version, size and CRC are the artifact's. Anything less (no report of it, damaged, another image) downloads.
    /// </summary>
    public static bool HoldsTargetIntact(DeviceStateReport report, UpdateTarget target) =>
        report.InactiveBank is { Intact: true } bank
        && bank.Version == target.Version && bank.Size == target.Size && bank.Crc == target.Crc;

    /// <summary>The target is already in the other bank: Staged at once, and with automatic activation the swap back
    /// (no download) is authorized on the same report.</summary>
    private static Decision SwapBackWithoutDownload(
        UpdateSaga saga, long? seq, DeviceStateReport report, DateTimeOffset now)
    {
        var verified = new InactiveBankImageVerified(now, seq, saga.Target.Version, saga.Target.Crc);
        var passed = new PreflightPassed(now, seq, report.RunningVersion, report.ActiveBank, report);
        if (!saga.Policy.ActivateAutomatically) return Decision.Of(passed, verified);
        // The swap back is a swap like any other: only inside the device's maintenance window.
        return SwapOrAwaitWindow(saga, now) is var next && next is SwapAuthorized swap
            ? Decision.Of(passed, verified with { Swap = swap })
            : Decision.Of(passed, verified, next);
    }

    private static Decision OnSagaEvent(UpdateSaga saga, DeviceEvent ev, DateTimeOffset now)
    {
        var seq = (long?)ev.Sequence;
        switch (saga.Phase)
        {
            case SagaPhase.Downloading or SagaPhase.DownloadBackoff when ev.CommandId == saga.CurrentCommandId:
                return OnDownloadAnswer(saga, ev, now);

            case SagaPhase.ClearingTrial:
                return ev is CommandAcknowledged { Accepted: false } refused
                       && refused.CommandId == saga.CurrentCommandId
                    ? Decision.Of(new SagaFailed(now, seq,
                        $"leftover-trial: the device refused to roll back its trial image ({refused.Reason})"))
                    : Decision.Nothing;

            case SagaPhase.AwaitingSwapAck:
                if (ev is CommandAcknowledged ack && ack.CommandId == saga.CurrentCommandId)
                    return ack.Accepted
                        ? Decision.Of(new SwapAcknowledged(now, seq, now + saga.Policy.BootTimeout))
                        : Decision.Of(new SagaFailed(now, seq, $"swap-refused: {ack.Reason}"));
                // The acknowledgement can be lost while the reset already happened: a boot report settles it.
                return ev is DeviceBooted { Version: var v } bootedEarly && v == saga.Target.Version ? OnBoot(saga, bootedEarly, now) : Decision.Nothing;

            case SagaPhase.AwaitingBoot:
                return ev switch
                {
                    DeviceBooted booted => OnBoot(saga, booted, now),
                    RolledBackOnDevice r => Decision.Of(new SilentRevertDetected(now, seq, r.Version, $"device rolled back ({r.Reason}) before reporting the new image")),
                    _ => Decision.Nothing,
                };

            case SagaPhase.HealthWindow or SagaPhase.AwaitingHealth or SagaPhase.Committing:
                return ev switch
                {
                    HealthReported { Healthy: false } h => Decision.Of(CommandRollback(saga, seq, $"health: {h.Detail ?? "unhealthy"}", now)),
                    HealthReported { Healthy: true } h => OnHealthPassed(saga, seq, h.Detail, now),
                    // PROTOCOL.md §8.5: only a reset the image caused counts against it; after a power cut it boots
                    // again on trial, runs its self-test again, and the health window starts over.
                    DeviceBooted b when b.Version == saga.Target.Version
                                        && TrialBoots.CountsAgainstTrial(b.ResetCause) =>
                        Decision.Of(CommandRollback(saga, seq,
                            $"crash-loop: new image reset ({b.ResetCause}), trial boot {b.TrialBootCount}", now)),
                    DeviceBooted b when b.Version == saga.Target.Version =>
                        saga.Phase == SagaPhase.Committing ? Decision.Nothing : OnBoot(saga, b, now),
                    DeviceBooted b => Decision.Of(new SilentRevertDetected(now, seq, b.Version, $"booted {b.Version} ({b.ResetCause}) instead of {saga.Target.Version}")),
                    RolledBackOnDevice r => Decision.Of(new SilentRevertDetected(now, seq, r.Version, r.Reason)),
                    ImageCommitted c when saga.Phase == SagaPhase.Committing && c.Version == saga.Target.Version =>
                        Decision.Of(new UpdateSucceeded(now, seq, c.Version)),
                    CommandAcknowledged { Accepted: false } a when saga.Phase == SagaPhase.Committing && a.CommandId == saga.CurrentCommandId =>
                        Decision.Of(CommandRollback(saga, seq, $"commit-refused: {a.Reason}", now)),
                    _ => Decision.Nothing,
                };

            case SagaPhase.RollingBack or SagaPhase.RollbackPending:
                return ev switch
                {
                    // The commit was on its way when the rollback was commanded (an operator cancel or a rollout
                    // rolling back), and the device committed first: it no longer has a trial to revert and refuses
                    // the RollBack. A committed image stays (the cancel's rule after the commit); a fleet rollback
                    // then returns it to the previous image with a saga of its own.
                    ImageCommitted c when c.CommandId == CommandIds.Commit(saga.UpdateId)
                                          && c.Version == saga.Target.Version =>
                        Decision.Of(new UpdateSucceeded(now, seq, c.Version)),
                    RolledBackOnDevice r when r.Version != saga.Target.Version => Decision.Of(new RollbackCompleted(now, seq, r.Version, r.Reason)),
                    DeviceBooted b when b.Version != saga.Target.Version => Decision.Of(new RollbackCompleted(now, seq, b.Version, $"booted {b.Version} ({b.ResetCause})")),
                    // The new image is running after all: the boot guard will not help, command the rollback.
                    DeviceBooted b when saga.Rollback == RollbackMode.AwaitBootGuard =>
                        Decision.Of(CommandRollback(saga, seq, saga.RollbackReason ?? "rollback", now)),
                    _ => Decision.Nothing,
                };

            default:
                return Decision.Nothing;
        }
    }

    /// <summary>A passing self-test: recorded in the health window; after it, the verdict the saga waited for.
    /// </summary>
    private static Decision OnHealthPassed(UpdateSaga saga, long? seq, string? detail, DateTimeOffset now) =>
        saga.Phase switch
    {
        SagaPhase.HealthWindow when !saga.TrialHealthy => Decision.Of(new HealthPassed(now, seq, detail)),
        SagaPhase.AwaitingHealth => Decision.Of(new HealthPassed(now, seq, detail), CommandCommit(saga, now)),
        _ => Decision.Nothing,
    };

    /// <summary>A state report while the saga waits on the device: it can settle a boot, a health verdict, a
    /// revert or a commit.</summary>
    private static Decision OnRunningVersion(
        UpdateSaga saga, long? seq, DeviceStateReport report, string source, DateTimeOffset now)
    {
        var (running, bank, image) = (report.RunningVersion, report.ActiveBank, report.ImageState);
        var target = saga.Target.Version;
        var onTrial = running == target && image == ImageState.Trial;
        return saga.Phase switch
        {
            // The verdict in the report (PROTOCOL.md §6.3) reaches a saga that missed the health event: it was
            // published while the orchestrator was down, or by a device that sleeps through the health window.
            SagaPhase.HealthWindow or SagaPhase.AwaitingHealth or SagaPhase.Committing
                when onTrial && report.Health == TrialHealth.Failed =>
                Decision.Of(CommandRollback(saga, seq, $"health: {source} says the self-test failed", now)),
            SagaPhase.HealthWindow or SagaPhase.AwaitingHealth when onTrial && report.Health == TrialHealth.Passed =>
                OnHealthPassed(saga, seq, source, now),
            // In AwaitingSwapAck too: the ack and the booted after it can both be lost (orchestrator restart).
            SagaPhase.AwaitingSwapAck or SagaPhase.AwaitingBoot when onTrial && bank != saga.BankBefore =>
                report.Health switch
            {
                TrialHealth.Failed =>
                    Decision.Of(CommandRollback(saga, seq, $"health: {source} says the self-test failed", now)),
                TrialHealth.Passed => Decision.Of(
                    new BootConfirmed(now, seq, running, bank, 1, now + saga.Policy.HealthWindow),
                    new HealthPassed(now, seq, source)),
                _ => Decision.Of(new BootConfirmed(now, seq, running, bank, 1, now + saga.Policy.HealthWindow)),
            },
            SagaPhase.AwaitingBoot or SagaPhase.HealthWindow or SagaPhase.AwaitingHealth or SagaPhase.Committing
                when running != target =>
                Decision.Of(new SilentRevertDetected(now, seq, running, $"{source}: runs {running} instead of {target}")),
            SagaPhase.Committing when running == target && image == ImageState.Committed =>
                Decision.Of(new UpdateSucceeded(now, seq, running)),
            SagaPhase.RollingBack or SagaPhase.RollbackPending when running != target =>
                Decision.Of(new RollbackCompleted(now, seq, running, $"{source}: runs {running}")),
            // As for ImageCommitted above: a commit that won the race with the rollback, told by a state report (a
            // device commits only on command, so a committed target is that commit).
            SagaPhase.RollingBack or SagaPhase.RollbackPending
                when running == target && image == ImageState.Committed =>
                Decision.Of(new UpdateSucceeded(now, seq, running)),
            SagaPhase.RollingBack or SagaPhase.RollbackPending when saga.Rollback == RollbackMode.AwaitBootGuard && running == target =>
                Decision.Of(CommandRollback(saga, seq, saga.RollbackReason ?? "rollback", now)),
            _ => Decision.Nothing,
        };
    }

    private static Decision OnBoot(UpdateSaga saga, DeviceBooted b, DateTimeOffset now)
    {
        var target = saga.Target.Version;
        if (b.Version != target)
            return Decision.Of(new SilentRevertDetected(now, b.Sequence, b.Version, $"booted {b.Version} ({b.ResetCause}) instead of {target}"));
        // More than one counted trial boot: the image already reset itself during its trial (PROTOCOL.md §8.5).
        if (b.TrialBootCount > 1)
            return Decision.Of(CommandRollback(saga, b.Sequence,
                $"crash-loop: new image reset before its boot report, trial boot {b.TrialBootCount}", now));
        if (b.ImageState != ImageState.Trial || b.ActiveBank == saga.BankBefore)
            return Decision.Of(CommandRollback(saga, b.Sequence,
                $"boot-inconsistent: {b.Version} booted {b.ImageState} from {b.ActiveBank}, expected trial from the other bank than {saga.BankBefore}", now));
        return Decision.Of(new BootConfirmed(now, b.Sequence, b.Version, b.ActiveBank, b.TrialBootCount, now + saga.Policy.HealthWindow));
    }

    private static Decision OnDownloadAnswer(UpdateSaga saga, DeviceEvent ev, DateTimeOffset now)
    {
        var seq = (long?)ev.Sequence;
        switch (ev)
        {
            case CommandAcknowledged { Accepted: true } a when saga.Phase == SagaPhase.Downloading && saga.AcceptedCommandId != a.CommandId:
                return Decision.Of(new DownloadAccepted(now, seq, saga.CurrentCommandId!));
            case CommandAcknowledged { Accepted: false } a:
                return Decision.Of(new SagaFailed(now, seq, $"download-refused: {a.Reason}"));
            case ImageStaged staged when staged.Crc == saga.Target.Crc && staged.Version == saga.Target.Version:
                var verified = new StagedCrcVerified(now, seq, staged.Version, staged.Crc);
                if (!saga.Policy.ActivateAutomatically) return Decision.Of(verified);
                return SwapOrAwaitWindow(saga, now) is var next && next is SwapAuthorized swap
                    ? Decision.Of(verified with { Swap = swap })
                    : Decision.Of(verified, next);
            case ImageStaged staged:
                return IntegrityFailure(saga, seq, staged.Crc, $"staged {staged.Version} crc 0x{staged.Crc:X8}", now);
            case StagingFailed { Reason: "integrity" } f:
                return IntegrityFailure(saga, seq, 0, $"device: {f.Detail}", now);
            case StagingFailed { Reason: "download" or "flash" } f:
                return DownloadAttemptFailedOrGiveUp(saga, seq, $"{f.Reason}: {f.Detail}", f.ResumeOffset, now);
            case StagingFailed f:
                return Decision.Of(new SagaFailed(now, seq, $"{f.Reason}: {f.Detail}"));
            default:
                return Decision.Nothing;
        }
    }

    private static Decision IntegrityFailure(UpdateSaga saga, long? seq, uint reportedCrc, string detail, DateTimeOffset now)
    {
        var failures = saga.IntegrityFailures + 1;
        if (failures >= saga.Policy.MaxIntegrityFailures || saga.DownloadAttempt >= saga.Policy.MaxDownloadAttempts)
            return Decision.Of(new SagaFailed(now, seq,
                $"integrity: {failures} staged images did not match the manifest crc 0x{saga.Target.Crc:X8} "
                + $"(last {detail})",
                CommandIds.Erase(saga.UpdateId, saga.DownloadAttempt)));
        return Decision.Of(new CrcMismatchDetected(now, seq, saga.DownloadAttempt, reportedCrc, saga.Target.Crc,
            CommandIds.Erase(saga.UpdateId, saga.DownloadAttempt), now + saga.Policy.BackoffBefore(saga.DownloadAttempt + 1)));
    }

    private static Decision DownloadAttemptFailedOrGiveUp(UpdateSaga saga, long? seq, string reason, int resumeOffset, DateTimeOffset now)
    {
        var p = saga.Policy;
        if (saga.DownloadAttempt < p.MaxDownloadAttempts)
            return Decision.Of(new DownloadAttemptFailed(now, seq, saga.DownloadAttempt, reason, resumeOffset, now + p.BackoffBefore(saga.DownloadAttempt + 1)));
        var answered = saga.DeviceAnsweredDownload || seq is not null;
        return answered
            ? Decision.Of(new SagaFailed(now, seq, $"download: {p.MaxDownloadAttempts} attempts failed (last {reason})"))
            : Decision.Of(new DeviceLost(now, $"no answer to {p.MaxDownloadAttempts} download attempts"));
    }

    // ---------------------------------------------------------------- event builders

    private static DownloadCommanded CommandDownload(UpdateSaga saga, int attempt, int resumeOffset, DateTimeOffset now) =>
        new(now, attempt, CommandIds.Download(saga.UpdateId, attempt), resumeOffset, now + saga.Policy.DownloadAttemptTimeout);

    private static CommitCommanded CommandCommit(UpdateSaga saga, DateTimeOffset now) =>
        new(now, CommandIds.Commit(saga.UpdateId), now + saga.Policy.CommitTimeout);

    private static SwapAuthorized AuthorizeSwap(UpdateSaga saga, DateTimeOffset now) =>
        new(now, CommandIds.Swap(saga.UpdateId), now + saga.Policy.SwapAckTimeout);

    /// <summary>The swap when the device's maintenance window is open (or there is none), else a wait for its next
    /// opening.</summary>
    private static IDeviceActorEvent SwapOrAwaitWindow(UpdateSaga saga, DateTimeOffset now) =>
        saga.Policy.SwapWindow is { } window && !window.Contains(now)
            ? new SwapWindowAwaited(now, window.NextOpening(now))
            : AuthorizeSwap(saga, now);

    private static RollbackCommanded CommandRollback(UpdateSaga saga, long? seq, string reason, DateTimeOffset now) =>
        new(now, seq, reason, CommandIds.Rollback(saga.UpdateId), now + saga.Policy.RollbackTimeout);
}
