using System.Collections.Immutable;
using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.Devices.Messages;
using FleetOrchestrator.Orchestration.Rollouts.Events;
using FleetOrchestrator.Orchestration.Rollouts.Policy;

namespace FleetOrchestrator.Orchestration.Rollouts;

/// <summary>
/// Everything one rollout knows: a pure function of its events (<see cref="Apply"/>), also its snapshot. No Akka.
/// <see cref="InFlight"/> counts the sagas that hold a slot of <c>limits.maxInFlight</c>: commanded and unfinished
/// (download-only: activated and unfinished) plus running rollback sagas.
/// </summary>
public sealed record RolloutState(
    string RolloutId,
    RolloutStatus Status,
    RolloutPolicy? Policy,
    UpdateTarget? Target,
    UpdateTarget? RollbackTarget,
    UpdatePolicy? SagaPolicy,
    int Seed,
    ImmutableList<RolloutWave> Waves,
    int CurrentWave,
    ImmutableDictionary<string, RolloutDevice> Devices,
    int InFlight,
    DateTimeOffset? NextSlotAt,
    string? HaltReason,
    bool Activated,
    ImmutableList<int> RollbackWaves,
    ImmutableList<AuditEntry> Audit,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt,
    long EventCount)
{
    public static RolloutState Empty(string rolloutId) => new(rolloutId, RolloutStatus.None, null, null, null, null, 0,
        [], 0, ImmutableDictionary<string, RolloutDevice>.Empty.WithComparers(StringComparer.Ordinal), 0, null, null,
        false, [], [], null, null, 0);

    public bool DownloadOnly => Policy?.DownloadOnly ?? false;

    /// <summary>No decision of the rollout is left (late outcomes are still recorded).</summary>
    public bool IsTerminal => Status is RolloutStatus.Completed or RolloutStatus.Cancelled or RolloutStatus.RolledBack;

    public RolloutWave? Current => CurrentWave < Waves.Count ? Waves[CurrentWave] : null;

    /// <summary>
    /// The one time the rollout must wake up at (a persisted deadline, re-armed on recovery): the end of the current
    /// wave's soak, or the next rate-limit slot while devices wait for one.
    /// </summary>
    public DateTimeOffset? NextWake
    {
        get
        {
            DateTimeOffset? wake = null;
            if (Status == RolloutStatus.Running && Current is { Phase: WavePhase.Soaking, SoakUntil: { } until })
                wake = until;
            if (WaitsForSlot && NextSlotAt is { } slot && (wake is null || slot < wake))
                wake = slot;
            return wake;
        }
    }

    /// <summary>Devices wait to be started or activated (so the next rate-limit slot matters).</summary>
    private bool WaitsForSlot => Status switch
    {
        RolloutStatus.Staging => Waves.Any(w => w.DeviceIds.Count > w.Tally.Commanded),
        RolloutStatus.Running when DownloadOnly => Waves.Any(w => w.DeviceIds.Count > w.Tally.Commanded)
            || Current is { } c && c.DeviceIds.Count > c.Tally.Activated,
        RolloutStatus.Running => Current is { } c && c.DeviceIds.Count > c.Tally.Commanded,
        _ => false,
    };

    public RolloutState Apply(IRolloutEvent e)
    {
        var s = this with { EventCount = EventCount + 1 };
        return e switch
        {
            RolloutStarted r => s.Start(r),
            RolloutPaused p => s.Audited(p.At, "pause", p.By) with { Status = RolloutStatus.Paused },
            RolloutResumed r => s.Audited(r.At, "resume", r.By) with
            {
                Status = s.DownloadOnly && !s.Activated ? RolloutStatus.Staging : RolloutStatus.Running,
            },
            RolloutActivated a => s.Audited(a.At, "activate", a.By) with
            {
                Status = RolloutStatus.Running, Activated = true,
            },
            RolloutCancelled c => s.Audited(c.At, "cancel", c.By) with
            {
                Status = RolloutStatus.Cancelled, EndedAt = c.At,
            },
            RollbackStarted r => (r.By is { } by ? s.Audited(r.At, "rollback", by) : s) with
            {
                Status = RolloutStatus.RollingBack, RollbackWaves = [.. r.Waves], HaltReason = s.HaltReason ?? r.Reason,
            },
            WaveStarted w => s.WithWave(w.Wave,
                    x => x with { Phase = WavePhase.Running, StartedAt = x.StartedAt ?? w.At })
                with { CurrentWave = w.Wave },
            WaveSoakStarted w => s.WithWave(w.Wave, x => x with { Phase = WavePhase.Soaking, SoakUntil = w.Until }),
            WaveAwaitingApproval w => s.WithWave(w.Wave, x => x with { Phase = WavePhase.AwaitingApproval }),
            WavePassed w => s.Pass(w),
            RolloutHalted h => s.WithWave(h.Wave, x => x with
            {
                Phase = WavePhase.Halted, HaltReason = h.Reason, EndedAt = h.At,
            }) with { Status = RolloutStatus.Halted, HaltReason = h.Reason },
            RolloutCompleted c => s with { Status = RolloutStatus.Completed, EndedAt = c.At },
            RolloutRolledBack r => s.RolledBack(r),
            DevicesCommanded c => s.Command(c),
            DevicesActivated a => s.Activate(a),
            DeviceConcluded c => s.Conclude(c),
            DeviceSkipped k => s.Skip(k),
            DeviceRevertObserved v => s.Revert(v),
            DevicesJoinedWave j => s.Join(j),
            DeviceRollbacksCommanded r => s.CommandRollbacks(r),
            _ => s,
        };
    }

    /// <summary>Whether a saga of <paramref name="d"/> holds an in-flight slot.</summary>
    public bool HoldsSlot(RolloutDevice d) =>
        d.Step == RolloutDeviceStep.RollingBack
        || (d.Step == RolloutDeviceStep.Commanded && (!DownloadOnly || d.Activated));

    private RolloutState Start(RolloutStarted r)
    {
        var devices = Devices.ToBuilder();
        var waves = ImmutableList.CreateBuilder<RolloutWave>();
        var specs = r.Policy.Waves;
        for (var i = 0; i < r.Waves.Count; i++)
        {
            var spec = i < specs.Count ? specs[i] : null;
            var name = spec?.Name ?? (i == 0 ? "canary" : $"wave {i + 1}");
            waves.Add(new RolloutWave(name, spec?.Gate ?? r.Policy.Gate, WavePhase.NotStarted, [.. r.Waves[i]],
                WaveTally.Empty, null, null, null, null));
            foreach (var id in r.Waves[i])
                devices[id] = RolloutDevice.Pending(r.RolloutId, id, i, r.TimeZones?.GetValueOrDefault(id));
        }
        return Audited(r.At, "start", r.By) with
        {
            RolloutId = r.RolloutId, Policy = r.Policy, Target = r.Target, RollbackTarget = r.RollbackTarget,
            SagaPolicy = r.SagaPolicy, Seed = r.Seed, Waves = waves.ToImmutable(), Devices = devices.ToImmutable(),
            CurrentWave = 0, StartedAt = r.At,
            Status = r.Policy.DownloadOnly ? RolloutStatus.Staging : RolloutStatus.Running,
        };
    }

    private RolloutState Pass(WavePassed w)
    {
        var s = (w.By is { } by ? Audited(w.At, "approve", by) : this)
            .WithWave(w.Wave, x => x with { Phase = WavePhase.Passed, EndedAt = w.At, HaltReason = null });
        var halted = s.Status == RolloutStatus.Halted;
        return s with
        {
            CurrentWave = Math.Min(w.Wave + 1, Waves.Count - 1),
            Status = halted ? RolloutStatus.Running : s.Status,
            HaltReason = halted ? null : s.HaltReason,
        };
    }

    private RolloutState RolledBack(RolloutRolledBack r)
    {
        var waves = Waves;
        foreach (var i in RollbackWaves)
            waves = waves.SetItem(i, waves[i] with
            {
                Phase = WavePhase.RolledBack, EndedAt = waves[i].EndedAt ?? r.At,
            });
        return this with { Status = RolloutStatus.RolledBack, Waves = waves, EndedAt = r.At };
    }

    private RolloutState Command(DevicesCommanded c)
    {
        var s = this;
        foreach (var id in c.DeviceIds)
        {
            if (!s.Devices.TryGetValue(id, out var d) || d.Step != RolloutDeviceStep.Pending) continue;
            var after = d with { Step = RolloutDeviceStep.Commanded };
            s = s.WithDevice(after).WithTally(d.Wave, t => t with { Commanded = t.Commanded + 1 });
            if (s.HoldsSlot(after)) s = s with { InFlight = s.InFlight + 1 };
        }
        return s with { NextSlotAt = c.NextSlotAt };
    }

    private RolloutState Activate(DevicesActivated a)
    {
        var s = this;
        foreach (var id in a.DeviceIds)
        {
            if (!s.Devices.TryGetValue(id, out var d) || d.Activated) continue;
            var after = d with { Activated = true };
            s = s.WithDevice(after).WithTally(d.Wave, t => t with { Activated = t.Activated + 1 });
            if (!s.HoldsSlot(d) && s.HoldsSlot(after)) s = s with { InFlight = s.InFlight + 1 };
        }
        return s with { NextSlotAt = a.NextSlotAt };
    }

    private RolloutState Conclude(DeviceConcluded c)
    {
        if (!Devices.TryGetValue(c.DeviceId, out var d)) return this;
        if (d.Step == RolloutDeviceStep.RollingBack && c.UpdateId == d.RollbackUpdateId)
            return WithDevice(d with { Step = RolloutDeviceStep.RolledBack, RollbackOutcome = c.Outcome })
                with { InFlight = InFlight - 1 };
        if (d.Step != RolloutDeviceStep.Commanded || c.UpdateId != d.UpdateId) return this;
        var after = d with
        {
            Step = RolloutDeviceStep.Finished, Outcome = c.Outcome, Reason = c.Reason, FinishedAt = c.At,
        };
        var gate = Waves[d.Wave].Gate;
        var s = WithDevice(after).WithTally(d.Wave, t => c.Outcome == UpdateOutcome.Updated
            ? t with
            {
                Finished = t.Finished + 1, Updated = t.Updated + 1, LastSuccessAt = Later(t.LastSuccessAt, c.At),
            }
            : gate.CountAsFailure.Contains(c.Outcome)
                ? t with { Finished = t.Finished + 1, Failed = t.Failed + 1 }
                : t with { Finished = t.Finished + 1, Neutral = t.Neutral + 1 });
        return HoldsSlot(d) ? s with { InFlight = s.InFlight - 1 } : s;
    }

    private RolloutState Skip(DeviceSkipped k)
    {
        if (!Devices.TryGetValue(k.DeviceId, out var d) || d.Step != RolloutDeviceStep.Commanded) return this;
        var s = WithDevice(d with { Step = RolloutDeviceStep.Finished, Reason = k.Reason, FinishedAt = k.At })
            .WithTally(d.Wave, t => t with { Finished = t.Finished + 1, Neutral = t.Neutral + 1 });
        return HoldsSlot(d) ? s with { InFlight = s.InFlight - 1 } : s;
    }

    private RolloutState Revert(DeviceRevertObserved v)
    {
        if (!Devices.TryGetValue(v.DeviceId, out var d) || !d.Succeeded || d.UpdateId != v.UpdateId) return this;
        return WithDevice(d with { Reverted = true })
            .WithTally(d.Wave, t => t with { Updated = t.Updated - 1, Failed = t.Failed + 1 });
    }

    private RolloutState Join(DevicesJoinedWave j)
    {
        var devices = Devices.ToBuilder();
        var added = ImmutableList.CreateBuilder<string>();
        foreach (var id in j.DeviceIds)
        {
            if (devices.ContainsKey(id)) continue;
            devices[id] = RolloutDevice.Pending(RolloutId, id, j.Wave, j.TimeZones?.GetValueOrDefault(id));
            added.Add(id);
        }
        // A wave that was soaking or awaiting approval has unfinished devices again: it runs until they finish.
        return this with { Devices = devices.ToImmutable() } is var s
            ? s.WithWave(j.Wave, x => x with
            {
                DeviceIds = x.DeviceIds.AddRange(added),
                Phase = x.Phase is WavePhase.Soaking or WavePhase.AwaitingApproval ? WavePhase.Running : x.Phase,
                SoakUntil = x.Phase is WavePhase.Soaking or WavePhase.AwaitingApproval ? null : x.SoakUntil,
            })
            : this;
    }

    private RolloutState CommandRollbacks(DeviceRollbacksCommanded r)
    {
        var s = this;
        foreach (var id in r.DeviceIds)
        {
            if (!s.Devices.TryGetValue(id, out var d) || d.Step != RolloutDeviceStep.Finished) continue;
            var rollingBack = d with
            {
                Step = RolloutDeviceStep.RollingBack, RollbackUpdateId = RolloutIds.RollbackIdFor(RolloutId, id),
            };
            s = s.WithDevice(rollingBack) with { InFlight = s.InFlight + 1 };
        }
        return s;
    }

    private RolloutState Audited(DateTimeOffset at, string action, OperatorAction by) =>
        this with { Audit = Audit.Add(new AuditEntry(at, action, by.Who, by.Why)) };

    private RolloutState WithDevice(RolloutDevice d) => this with { Devices = Devices.SetItem(d.DeviceId, d) };

    private RolloutState WithWave(int index, Func<RolloutWave, RolloutWave> change) =>
        index >= 0 && index < Waves.Count ? this with { Waves = Waves.SetItem(index, change(Waves[index])) } : this;

    private RolloutState WithTally(int index, Func<WaveTally, WaveTally> change) =>
        WithWave(index, w => w with { Tally = change(w.Tally) });

    private static DateTimeOffset Later(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x > b ? x : b;
}
