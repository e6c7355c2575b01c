using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.Devices.Messages;
using FleetOrchestrator.Orchestration.Rollouts.Effects;
using FleetOrchestrator.Orchestration.Rollouts.Events;
using FleetOrchestrator.Orchestration.Rollouts.Messages;
using FleetOrchestrator.Orchestration.Rollouts.Policy;
using FleetOrchestrator.Protocol.Validation;

namespace FleetOrchestrator.Orchestration.Rollouts.Decisions;

/// <summary>
/// The rollout's decide step: (state, input, now) -> events to persist, effects to run after them, reply. Pure: no
/// actor, no clock, no I/O. Each input is followed by <see cref="Progress"/>, which starts waves, judges the current
/// wave's gate (<see cref="RolloutGate"/>) and commands devices within the limits, applying each event as it decides
/// so later steps see it.
/// </summary>
public static class RolloutDecider
{
    public static RolloutDecision Decide(RolloutState state, object input, DateTimeOffset now)
    {
        var b = new Builder(state);
        var reply = input switch
        {
            StartRollout s => Start(b, s, now),
            PauseRollout p => Pause(b, p, now),
            ResumeRollout r => Resume(b, r, now),
            ApproveWave a => Approve(b, a, now),
            CancelRollout c => Cancel(b, c, now),
            RollBackRollout r => RollBack(b, r, now),
            ActivateRollout a => Activate(b, a, now),
            DevicesJoined j => Join(b, j, now),
            SagaConcluded c => Concluded(b, c, now),
            DeviceReverted v => Reverted(b, v, now),
            DeviceStartRefused f => Refused(b, f, now),
            RolloutTick => Progress(b, now, null),
            _ => null,
        };
        return new RolloutDecision(b.Events, b.Effects, reply);
    }

    // ---------------------------------------------------------------- operator commands

    private static object? Start(Builder b, StartRollout s, DateTimeOffset now)
    {
        if (b.State.Status != RolloutStatus.None)
            return Reply(b, true, "already started");
        var sagaPolicy = (s.SagaPolicy ?? UpdatePolicy.Default) with { ActivateAutomatically = !s.Policy.DownloadOnly };
        if (StartProblem(s, sagaPolicy) is { } problem)
            return Reply(b, false, "invalid: " + problem);
        b.Emit(new RolloutStarted(now, s.RolloutId, s.Policy, s.Target, s.RollbackTarget, sagaPolicy, s.Seed, s.Waves,
            s.By, s.TimeZones));
        return Progress(b, now, Reply(b, true, null));
    }

    private static string? StartProblem(StartRollout s, UpdatePolicy sagaPolicy)
    {
        if (RolloutIds.DescribeRolloutIdProblem(s.RolloutId) is { } idProblem) return idProblem;
        if (s.By.DescribeProblem() is { } byProblem) return byProblem;
        if (sagaPolicy.DescribeProblem() is { } policyProblem) return "saga policy: " + policyProblem;
        if (s.Waves.Count == 0) return "no waves planned";
        if (s.Policy.Ramp is null && s.Waves.Count != s.Policy.Waves.Count)
            return $"{s.Waves.Count} waves planned for a policy of {s.Policy.Waves.Count}";
        if (s.RollbackTarget is { AllowDowngrade: false })
            return "the rollback target's manifest does not allow the downgrade";
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in s.Waves.SelectMany(w => w))
        {
            if (WireIdentifiers.DescribeDeviceIdProblem(id) is { } deviceProblem) return $"'{id}': {deviceProblem}";
            if (!seen.Add(id)) return $"device '{id}' is planned in two waves";
        }
        return null;
    }

    private static object? Pause(Builder b, PauseRollout p, DateTimeOffset now)
    {
        if (p.By.DescribeProblem() is { } problem) return Reply(b, false, "invalid: " + problem);
        if (b.State.Status is not (RolloutStatus.Running or RolloutStatus.Staging))
            return Reply(b, false, $"cannot pause a rollout that is {b.State.Status}");
        b.Emit(new RolloutPaused(now, p.By));
        return Reply(b, true, null);
    }

    private static object? Resume(Builder b, ResumeRollout r, DateTimeOffset now)
    {
        if (r.By.DescribeProblem() is { } problem) return Reply(b, false, "invalid: " + problem);
        if (b.State.Status == RolloutStatus.Halted)
            return Reply(b, false,
                $"halted by its gate ({b.State.HaltReason}): approve the wave to override it, roll back, or cancel");
        if (b.State.Status != RolloutStatus.Paused)
            return Reply(b, false, $"cannot resume a rollout that is {b.State.Status}");
        b.Emit(new RolloutResumed(now, r.By));
        return Progress(b, now, Reply(b, true, null));
    }

    private static object? Approve(Builder b, ApproveWave a, DateTimeOffset now)
    {
        if (a.By.DescribeProblem() is { } problem) return Reply(b, false, "invalid: " + problem);
        var s = b.State;
        if (s.Current is not { } wave) return Reply(b, false, "no such rollout");
        if (a.Wave is { } asked && asked != s.CurrentWave)
            return Reply(b, false, $"wave {asked} is not the current wave ({s.CurrentWave}, {wave.Name})");
        var awaiting = s.Status == RolloutStatus.Running && wave.Phase == WavePhase.AwaitingApproval;
        var overriding = s.Status == RolloutStatus.Halted && wave.Phase == WavePhase.Halted;
        if (!awaiting && !overriding)
            return Reply(b, false, $"wave '{wave.Name}' is {wave.Phase} in a {s.Status} rollout: nothing to approve");
        b.Emit(new WavePassed(now, s.CurrentWave, a.By));
        if (s.CurrentWave == s.Waves.Count - 1)
        {
            b.Emit(new RolloutCompleted(now));
            return Reply(b, true, null);
        }
        return Progress(b, now, Reply(b, true, null));
    }

    private static object? Cancel(Builder b, CancelRollout c, DateTimeOffset now)
    {
        if (c.By.DescribeProblem() is { } problem) return Reply(b, false, "invalid: " + problem);
        if (b.State.Status is RolloutStatus.None or RolloutStatus.Completed or RolloutStatus.Cancelled
            or RolloutStatus.RolledBack)
            return Reply(b, false, $"cannot cancel a rollout that is {b.State.Status}");
        var running = b.State.Devices.Values.Where(d => d.Step == RolloutDeviceStep.Commanded)
            .OrderBy(d => d.DeviceId, StringComparer.Ordinal).ToList();
        b.Emit(new RolloutCancelled(now, c.By));
        foreach (var d in running)
            b.Effects.Add(new CancelDeviceUpdate(d.DeviceId, d.UpdateId, "rollout cancelled: " + c.By.Why));
        return Reply(b, true, null);
    }

    private static object? RollBack(Builder b, RollBackRollout r, DateTimeOffset now)
    {
        if (r.By.DescribeProblem() is { } problem) return Reply(b, false, "invalid: " + problem);
        var s = b.State;
        if (s.Status is not (RolloutStatus.Staging or RolloutStatus.Running or RolloutStatus.Paused
            or RolloutStatus.Halted or RolloutStatus.Completed))
            return Reply(b, false, $"cannot roll back a rollout that is {s.Status}");
        if (s.RollbackTarget is null)
            return Reply(b, false, "no previous image was given at the start (rollbackTarget): nothing to go back to");
        StartRollback(b, now, r.By, "operator: " + r.By.Why, Enumerable.Range(0, s.Waves.Count).ToList());
        return Reply(b, true, null);
    }

    private static object? Activate(Builder b, ActivateRollout a, DateTimeOffset now)
    {
        if (a.By.DescribeProblem() is { } problem) return Reply(b, false, "invalid: " + problem);
        if (b.State.Status != RolloutStatus.Staging)
            return Reply(b, false, b.State.DownloadOnly
                ? $"cannot activate a rollout that is {b.State.Status}"
                : "not a download-only rollout: its swaps are authorized as its waves run");
        b.Emit(new RolloutActivated(now, a.By));
        return Progress(b, now, Reply(b, true, null));
    }

    private static object? Join(Builder b, DevicesJoined j, DateTimeOffset now)
    {
        var s = b.State;
        if (s.Status is RolloutStatus.None or RolloutStatus.Completed or RolloutStatus.Cancelled
            or RolloutStatus.RollingBack or RolloutStatus.RolledBack)
            return Reply(b, false, $"the rollout is {s.Status}: it takes no more devices");
        var fresh = j.DeviceIds.Distinct(StringComparer.Ordinal)
            .Where(id => !s.Devices.ContainsKey(id) && WireIdentifiers.IsValidDeviceId(id)).ToList();
        if (fresh.Count == 0) return Reply(b, true, "no new device");
        b.Emit(new DevicesJoinedWave(now, JoinWave(s), fresh, j.TimeZones));
        return Progress(b, now, Reply(b, true, null));
    }

    /// <summary>The current wave while it still commands; otherwise the next one (the last wave at the end).</summary>
    private static int JoinWave(RolloutState s)
    {
        var current = s.Waves[s.CurrentWave];
        if (current.Phase is WavePhase.NotStarted or WavePhase.Running) return s.CurrentWave;
        return Math.Min(s.CurrentWave + 1, s.Waves.Count - 1);
    }

    // ---------------------------------------------------------------- facts from the feed and the device actors

    private static object? Concluded(Builder b, SagaConcluded c, DateTimeOffset now)
    {
        if (!b.State.Devices.TryGetValue(c.DeviceId, out var d))
            return Reply(b, true, "not a device of this rollout");
        var forward = d.Step == RolloutDeviceStep.Commanded && c.UpdateId == d.UpdateId;
        var rollback = d.Step == RolloutDeviceStep.RollingBack && c.UpdateId == d.RollbackUpdateId;
        if (!forward && !rollback) return Reply(b, true, "already recorded");
        b.Emit(new DeviceConcluded(c.At, c.DeviceId, c.UpdateId, c.Outcome, c.Reason));
        if (b.State.Status == RolloutStatus.RollingBack)
        {
            // A saga that was past the commit when the rollback began finishes Updated: roll it back too.
            if (forward && c.Outcome == UpdateOutcome.Updated && b.State.RollbackWaves.Contains(d.Wave))
                CommandRollbacks(b, now, [c.DeviceId]);
            CheckRolledBack(b, now);
            return Reply(b, true, null);
        }
        return Progress(b, now, Reply(b, true, null));
    }

    private static object? Reverted(Builder b, DeviceReverted v, DateTimeOffset now)
    {
        if (!b.State.Devices.TryGetValue(v.DeviceId, out var d) || d.UpdateId != v.UpdateId || !d.Succeeded)
            return Reply(b, true, "nothing to record");
        b.Emit(new DeviceRevertObserved(v.At, v.DeviceId, v.UpdateId));
        return Progress(b, now, Reply(b, true, null));
    }

    private static object? Refused(Builder b, DeviceStartRefused f, DateTimeOffset now)
    {
        if (!b.State.Devices.TryGetValue(f.DeviceId, out var d) || d.Step != RolloutDeviceStep.Commanded
            || d.UpdateId != f.UpdateId)
            return null;
        b.Emit(new DeviceSkipped(now, f.DeviceId, f.Reason));
        if (b.State.Status == RolloutStatus.RollingBack) CheckRolledBack(b, now);
        return Progress(b, now, null);
    }

    // ---------------------------------------------------------------- progress: waves, gates, limits

    /// <summary>Moves the rollout as far as its state allows now; returns <paramref name="reply"/>.</summary>
    private static object? Progress(Builder b, DateTimeOffset now, object? reply)
    {
        for (var guard = 0; guard <= 2 * b.State.Waves.Count + 2; guard++)
        {
            var s = b.State;
            if (s.Status == RolloutStatus.Staging)
            {
                CommandMore(b, now);
                break;
            }
            if (s.Status != RolloutStatus.Running || s.Current is not { } wave) break;
            if (wave.Phase == WavePhase.NotStarted)
            {
                b.Emit(new WaveStarted(now, s.CurrentWave));
                continue;
            }
            if (wave.Phase is not (WavePhase.Running or WavePhase.Soaking or WavePhase.AwaitingApproval)) break;
            var verdict = RolloutGate.Judge(s, s.CurrentWave, now);
            switch (verdict.Kind)
            {
                case GateVerdictKind.Halt:
                    Halt(b, now, s.CurrentWave, verdict.Detail);
                    return reply;
                case GateVerdictKind.Pass:
                    b.Emit(new WavePassed(now, s.CurrentWave, null));
                    if (s.CurrentWave == s.Waves.Count - 1)
                    {
                        b.Emit(new RolloutCompleted(now));
                        return reply;
                    }
                    continue;
                case GateVerdictKind.Soaking:
                    if (wave.Phase != WavePhase.Soaking || wave.SoakUntil != verdict.Until)
                        b.Emit(new WaveSoakStarted(now, s.CurrentWave, verdict.Until!.Value));
                    CommandMore(b, now);
                    return reply;
                case GateVerdictKind.AwaitingApproval:
                    if (wave.Phase != WavePhase.AwaitingApproval)
                        b.Emit(new WaveAwaitingApproval(now, s.CurrentWave));
                    CommandMore(b, now);
                    return reply;
                default:
                    CommandMore(b, now);
                    return reply;
            }
        }
        return reply;
    }

    private static void Halt(Builder b, DateTimeOffset now, int wave, string reason)
    {
        var s = b.State;
        var action = s.Policy!.OnHalt;
        if (action != HaltAction.Pause && s.RollbackTarget is null)
            reason += $"; onHalt {action} cannot run: no previous image was given (rollbackTarget),"
                + " so the rollout waits for the operator";
        b.Emit(new RolloutHalted(now, wave, reason));
        if (action == HaltAction.Pause || s.RollbackTarget is null) return;
        var waves = action == HaltAction.RollbackWave ? [wave] : Enumerable.Range(0, s.Waves.Count).ToList();
        StartRollback(b, now, null, reason, waves);
    }

    private static void StartRollback(Builder b, DateTimeOffset now, OperatorAction? by, string reason, List<int> waves)
    {
        b.Emit(new RollbackStarted(now, by, reason, waves));
        var s = b.State;
        var updated = new List<string>();
        foreach (var d in waves.SelectMany(w => s.Waves[w].DeviceIds).Select(id => s.Devices[id]))
        {
            if (d.Step == RolloutDeviceStep.Commanded)
                b.Effects.Add(new CancelDeviceUpdate(d.DeviceId, d.UpdateId, "rollout rolling back: " + reason));
            else if (d.Step == RolloutDeviceStep.Finished && d.Succeeded)
                updated.Add(d.DeviceId);
        }
        if (updated.Count > 0) CommandRollbacks(b, now, updated);
        CheckRolledBack(b, now);
    }

    private static void CommandRollbacks(Builder b, DateTimeOffset now, IReadOnlyList<string> deviceIds)
    {
        b.Emit(new DeviceRollbacksCommanded(now, deviceIds));
        foreach (var id in deviceIds)
            b.Effects.Add(new RollBackDevice(id, b.State.Devices[id].RollbackUpdateId!, b.State.RollbackTarget!));
    }

    private static void CheckRolledBack(Builder b, DateTimeOffset now)
    {
        var s = b.State;
        if (s.Status != RolloutStatus.RollingBack) return;
        var busy = s.RollbackWaves.SelectMany(w => s.Waves[w].DeviceIds)
            .Any(id => s.Devices[id].Step is RolloutDeviceStep.Commanded or RolloutDeviceStep.RollingBack);
        if (!busy) b.Emit(new RolloutRolledBack(now));
    }

    /// <summary>
    /// Commands what the limits allow: StartUpdate to the current wave's pending devices (download-only: to every
    /// pending device, since staging holds no in-flight slot), and, download-only after activation, ActivateUpdate to
    /// the current wave's staged devices. maxInFlight bounds the sagas holding a slot; devicesPerMinute allows one
    /// start per slot of 1/devicesPerMinute minutes (the next slot is persisted).
    /// </summary>
    private static void CommandMore(Builder b, DateTimeOffset now)
    {
        var s = b.State;
        var limits = s.Policy!.Limits;
        TimeSpan? interval = limits.DevicesPerMinute > 0 ? TimeSpan.FromMinutes(1.0 / limits.DevicesPerMinute) : null;
        if (interval is not null && s.NextSlotAt > now) return;
        var budget = interval is null ? int.MaxValue : 1;
        var nextSlot = interval is { } i ? now + i : (DateTimeOffset?)null;

        var starts = new List<string>();
        if (s.DownloadOnly)
        {
            starts.AddRange(s.Waves.SelectMany(w => w.DeviceIds.Skip(w.Tally.Commanded)).Take(budget));
        }
        else if (s.Status == RolloutStatus.Running && s.Current is not null)
        {
            // Earlier waves first: a wave that passed on a settled verdict (README rule 3) may still have devices
            // never started, and the last wave waits for them.
            var room = Math.Min(budget, limits.MaxInFlight - s.InFlight);
            starts.AddRange(UpToCurrent(s).SelectMany(w => w.DeviceIds.Skip(w.Tally.Commanded))
                .Take(Math.Max(0, room)));
        }
        if (starts.Count > 0)
        {
            b.Emit(new DevicesCommanded(now, starts, nextSlot));
            foreach (var id in starts)
                b.Effects.Add(new StartDeviceUpdate(id, b.State.Devices[id].UpdateId));
            budget -= starts.Count;
        }

        s = b.State;
        if (!s.DownloadOnly || s.Status != RolloutStatus.Running || s.Current is null || budget <= 0) return;
        var slots = Math.Min(budget, limits.MaxInFlight - s.InFlight);
        var activate = new List<string>();
        foreach (var wave in UpToCurrent(s)) // earlier waves first, as the starts
        {
            foreach (var id in wave.DeviceIds.Skip(wave.Tally.Activated))
            {
                var d = s.Devices[id];
                if (d.Step == RolloutDeviceStep.Pending) break; // activated in wave order, after its start
                if (d.Step == RolloutDeviceStep.Commanded)
                {
                    if (slots <= 0) break;
                    slots--;
                }
                activate.Add(id);
            }
        }
        if (activate.Count == 0) return;
        b.Emit(new DevicesActivated(now, activate, nextSlot ?? s.NextSlotAt));
        foreach (var id in activate.Where(id => b.State.Devices[id].Step == RolloutDeviceStep.Commanded))
            b.Effects.Add(new ActivateDevice(id, b.State.Devices[id].UpdateId));
    }

    /// <summary>The waves that command: the current one and those before it.</summary>
    private static IEnumerable<RolloutWave> UpToCurrent(RolloutState s) => s.Waves.Take(s.CurrentWave + 1);

    private static RolloutCommandReply Reply(Builder b, bool accepted, string? reason) =>
        new(b.State.RolloutId, accepted, reason, b.State.Status);

    /// <summary>Collects events and effects, applying each event so later decisions see it.</summary>
    private sealed class Builder(RolloutState state)
    {
        public RolloutState State { get; private set; } = state;
        public List<IRolloutEvent> Events { get; } = [];
        public List<RolloutEffect> Effects { get; } = [];

        public void Emit(IRolloutEvent e)
        {
            Events.Add(e);
            State = State.Apply(e);
        }
    }
}
