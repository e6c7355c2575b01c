using System.Collections.Immutable;
using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.Orchestration.Devices.Events;
using FleetOrchestrator.Protocol.Messages;

namespace FleetOrchestrator.Orchestration.Devices;

/// <summary>What runs on the device as far as the orchestrator knows.</summary>
public sealed record RunningImage(SemanticVersion Version, BankId ActiveBank, ImageState ImageState);

/// <summary>
/// Everything one device actor knows. A pure function of its events (<see cref="Apply"/>); also the snapshot.
/// <see cref="LastSequence"/> is the highest device sequence seen in a persisted event.
/// </summary>
public sealed record DeviceState(
    string DeviceId,
    DeviceStateReport? LastReport,
    RunningImage? Running,
    bool? Online,
    DateTimeOffset? LastSeenAt,
    long LastSequence,
    UpdateSaga? Saga,
    long EventCount)
{
    public static DeviceState Empty(string deviceId) => new(deviceId, null, null, null, null, 0, null, 0);

    /// <summary>True while a saga runs (it may still be waiting for a rollback: RollbackPending counts).</summary>
    public bool HasActiveSaga => Saga is { Phase: not SagaPhase.Completed };

    public DeviceState Apply(IDeviceActorEvent e)
    {
        var s = this with { EventCount = EventCount + 1 };
        if (e is IFromDevice { Sequence: long seq })
            s = s with { LastSequence = Math.Max(s.LastSequence, seq), LastSeenAt = e.At };
        return e switch
        {
            DeviceStateObserved o => s with { LastReport = o.Report, Running = RunningOf(o.Report) },
            DevicePresenceObserved p => s with { Online = p.Online, LastSeenAt = p.Online ? p.At : s.LastSeenAt },
            DeviceBootObserved b => s with { Running = new RunningImage(b.Version, b.ActiveBank, b.ImageState) },
            UpdateRequested r => s with { Saga = UpdateSaga.Begin(r) },
            PreflightPassed p => s.WithSaga(p) with { LastReport = p.Report, Running = RunningOf(p.Report) },
            DeviceRefused r => s.WithSaga(r) with { LastReport = r.Report, Running = RunningOf(r.Report) },
            AlreadyUpToDate u => s.WithSaga(u) with { LastReport = u.Report, Running = RunningOf(u.Report) },
            BootConfirmed b => s.WithSaga(b) with { Running = new RunningImage(b.Version, b.ActiveBank, ImageState.Trial) },
            UpdateSucceeded u when s.Running is { } r => s.WithSaga(u) with { Running = r with { Version = u.Version, ImageState = ImageState.Committed } },
            RollbackCompleted c => s.WithSaga(c) with { Running = RevertedTo(s, c.Version) },
            SilentRevertDetected v => s.WithSaga(v) with { Running = RevertedTo(s, v.Version) },
            _ when s.Saga is not null => s.WithSaga(e),
            _ => s,
        };
    }

    private DeviceState WithSaga(IDeviceActorEvent e) =>
        Saga is null ? this : this with { Saga = Saga.Apply(e) };

    private static RunningImage RunningOf(DeviceStateReport r) => new(r.RunningVersion, r.ActiveBank, r.ImageState);

    // After a rollback the previous image runs committed from the bank the saga started on.
    private static RunningImage? RevertedTo(DeviceState s, SemanticVersion version) =>
        s.Saga?.BankBefore is { } bank ? new RunningImage(version, bank, ImageState.Committed)
        : s.Running is { } r ? r with { Version = version } : null;
}

/// <summary>One line of a saga's history: when, which fact, the phase it led to, and a human detail.</summary>
public sealed record SagaTransition(DateTimeOffset At, string Fact, SagaPhase Phase, string? Detail);
