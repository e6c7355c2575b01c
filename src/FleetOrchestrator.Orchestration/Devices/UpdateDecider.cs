using FleetOrchestrator.Orchestration.Devices.Events;
using FleetOrchestrator.Orchestration.Devices.Messages;
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
        return new Decision([AuthorizeSwap(saga, now)], new SagaRequestReply(state.DeviceId, activate.UpdateId, true, null, SagaPhase.AwaitingSwapAck));
    }

    private static Decision Cancel(DeviceState state, CancelUpdate cancel, DateTimeOffset now)
    {
        if (state.Saga is not { } saga || saga.UpdateId != cancel.UpdateId)
            return Decision.ReplyOnly(new SagaRequestReply(state.DeviceId, cancel.UpdateId, false, "no such update on this device", state.Saga?.Phase ?? SagaPhase.None));
        var reason = "operator: " + cancel.Reason;
        IDeviceActorEvent? e = saga.Phase switch
        {
            SagaPhase.CheckingVersion => new UpdateCancelled(now, reason, null),
            SagaPhase.Downloading or SagaPhase.DownloadBackoff or SagaPhase.Staged => new UpdateCancelled(now, reason, CommandIds.CancelErase(saga.UpdateId)),
            // The swap may or may not have happened: only the device's next report tells, and the boot guard reverts a
            // trial image that is never committed.
            SagaPhase.AwaitingSwapAck or SagaPhase.AwaitingBoot => new RollbackAwaitingBootGuard(now, null, reason, now + saga.Policy.RollbackTimeout),
            SagaPhase.HealthWindow or SagaPhase.Committing => CommandRollback(saga, null, reason, now),
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
            SagaPhase.AwaitingSwapAck => Decision.Of(new DeviceLost(now, $"swap not acknowledged within {p.SwapAckTimeout}")),
            SagaPhase.AwaitingBoot => Decision.Of(new RollbackAwaitingBootGuard(now, null, $"boot-deadline: no boot report within {p.BootTimeout}", now + p.RollbackTimeout)),
            SagaPhase.HealthWindow => Decision.Of(new CommitCommanded(now, CommandIds.Commit(saga.UpdateId), now + p.CommitTimeout)),
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
            return Decision.Of(new DeviceBootObserved(now, b.Sequence, b.Version, b.ActiveBank, b.ImageState, b.ResetCause));
        return decided;
    }

    private static Decision OnReport(DeviceState state, long? seq, DeviceStateReport report, DateTimeOffset now, bool retained)
    {
        if (state.HasActiveSaga)
        {
            var saga = state.Saga!;
            var decided = saga.Phase == SagaPhase.CheckingVersion
                ? RunPreflight(saga, seq, report, now)
                : retained ? Decision.Nothing : OnRunningVersion(saga, seq, report.RunningVersion, report.ActiveBank, report.ImageState, "state report", now);
            // While the saga runs, its own events record what it acts on in a report (running image, bank, trial or
            // committed); the full report is journaled again once the saga has ended (the device reports after every
            // step, the last one after its commit or rollback). Journaling each step's report too cost 2 of the 15
            // events of an update.
            return decided;
        }
        return report == state.LastReport ? Decision.Nothing : Decision.Of(new DeviceStateObserved(now, seq, report));
    }

    private static Decision RunPreflight(UpdateSaga saga, long? seq, DeviceStateReport report, DateTimeOffset now) =>
        Preflight.Check(report, saga.Target) switch
        {
            PreflightVerdict.UpToDate => Decision.Of(new AlreadyUpToDate(now, seq, report.RunningVersion, report)),
            PreflightVerdict.Refuse r => Decision.Of(new DeviceRefused(now, seq, r.Reason, report)),
            _ => Decision.Of(new PreflightPassed(now, seq, report.RunningVersion, report.ActiveBank, report, CommandDownload(saga, 1, 0, now))),
        };

    private static Decision OnSagaEvent(UpdateSaga saga, DeviceEvent ev, DateTimeOffset now)
    {
        var seq = (long?)ev.Sequence;
        switch (saga.Phase)
        {
            case SagaPhase.Downloading or SagaPhase.DownloadBackoff when ev.CommandId == saga.CurrentCommandId:
                return OnDownloadAnswer(saga, ev, now);

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

            case SagaPhase.HealthWindow or SagaPhase.Committing:
                return ev switch
                {
                    HealthReported { Healthy: false } h => Decision.Of(CommandRollback(saga, seq, $"health: {h.Detail ?? "unhealthy"}", now)),
                    DeviceBooted b when b.Version == saga.Target.Version =>
                        Decision.Of(CommandRollback(saga, seq, $"crash-loop: new image reset ({b.ResetCause}), trial boot {b.TrialBootCount}", now)),
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

    /// <summary>A state report while the saga waits on the device: it can settle a boot, a revert or a commit.</summary>
    private static Decision OnRunningVersion(UpdateSaga saga, long? seq, Firmware.Versioning.SemanticVersion running, BankId bank, ImageState image, string source, DateTimeOffset now)
    {
        var target = saga.Target.Version;
        return saga.Phase switch
        {
            // In AwaitingSwapAck too: the ack and the booted after it can both be lost (orchestrator restart).
            SagaPhase.AwaitingSwapAck or SagaPhase.AwaitingBoot when running == target && image == ImageState.Trial && bank != saga.BankBefore =>
                Decision.Of(new BootConfirmed(now, seq, running, bank, 1, now + saga.Policy.HealthWindow)),
            SagaPhase.AwaitingBoot or SagaPhase.HealthWindow or SagaPhase.Committing when running != target =>
                Decision.Of(new SilentRevertDetected(now, seq, running, $"{source}: runs {running} instead of {target}")),
            SagaPhase.Committing when running == target && image == ImageState.Committed =>
                Decision.Of(new UpdateSucceeded(now, seq, running)),
            SagaPhase.RollingBack or SagaPhase.RollbackPending when running != target =>
                Decision.Of(new RollbackCompleted(now, seq, running, $"{source}: runs {running}")),
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
                return Decision.Of(saga.Policy.ActivateAutomatically ? verified with { Swap = AuthorizeSwap(saga, now) } : verified);
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
            return Decision.Of(new SagaFailed(now, seq, $"integrity: {failures} staged images did not match the manifest crc 0x{saga.Target.Crc:X8} (last {detail})"));
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

    private static SwapAuthorized AuthorizeSwap(UpdateSaga saga, DateTimeOffset now) =>
        new(now, CommandIds.Swap(saga.UpdateId), now + saga.Policy.SwapAckTimeout);

    private static RollbackCommanded CommandRollback(UpdateSaga saga, long? seq, string reason, DateTimeOffset now) =>
        new(now, seq, reason, CommandIds.Rollback(saga.UpdateId), now + saga.Policy.RollbackTimeout);
}
