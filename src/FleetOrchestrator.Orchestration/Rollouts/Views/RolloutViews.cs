using FleetOrchestrator.Orchestration.Devices.Messages;
using FleetOrchestrator.Orchestration.Rollouts.Decisions;
using FleetOrchestrator.Orchestration.Rollouts.Messages;

namespace FleetOrchestrator.Orchestration.Rollouts.Views;

/// <summary>Answers GetRollout and WhyDevice from a rollout's state (pure).</summary>
public static class RolloutViews
{
    public static RolloutView Of(RolloutState s, DateTimeOffset now) => new(
        s.RolloutId, s.Policy?.Name, s.Status, s.HaltReason, s.CurrentWave,
        s.Waves.Select((w, i) => WaveOf(s, i, now)).ToList(), s.InFlight, s.StartedAt, s.EndedAt, s.Audit);

    private static WaveView WaveOf(RolloutState s, int index, DateTimeOffset now)
    {
        var wave = s.Waves[index];
        var outcomes = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var d in wave.DeviceIds.Select(id => s.Devices[id]))
        {
            var key = d.Step switch
            {
                RolloutDeviceStep.Pending => "NotStarted",
                RolloutDeviceStep.Commanded => "Running",
                _ when d.Reverted => "Reverted",
                _ => d.Outcome?.ToString() ?? "Skipped",
            };
            outcomes[key] = outcomes.GetValueOrDefault(key) + 1;
        }
        return new WaveView(wave.Name, wave.Phase, wave.DeviceIds.Count, outcomes, GateState(s, index, now),
            wave.SoakUntil, wave.HaltReason, wave.StartedAt, wave.EndedAt);
    }

    /// <summary>The gate's state in words (see <see cref="WaveView"/>).</summary>
    public static string GateState(RolloutState s, int index, DateTimeOffset now)
    {
        var wave = s.Waves[index];
        return wave.Phase switch
        {
            WavePhase.NotStarted => "not started",
            WavePhase.Passed => "passed",
            WavePhase.Halted => "halted: " + wave.HaltReason,
            WavePhase.RolledBack => "rolled back",
            WavePhase.Soaking => $"soaking until {wave.SoakUntil:O}",
            WavePhase.AwaitingApproval => "awaiting approval",
            _ => RolloutGate.Judge(s, index, now).Detail,
        };
    }

    /// <summary>The page of devices <paramref name="query"/> asks for (an unknown wave selects none).</summary>
    public static RolloutDevicesPage Devices(RolloutState s, GetRolloutDevices query)
    {
        var waves = query.Wave is { } w
            ? (w >= 0 && w < s.Waves.Count ? [s.Waves[w]] : [])
            : s.Waves.ToList();
        var ids = waves.SelectMany(x => x.DeviceIds);
        var take = Math.Clamp(query.Take, 0, GetRolloutDevices.MaxTake);
        var page = ids.Skip(Math.Max(0, query.Skip)).Take(take).Select(id => s.Devices[id]).ToList();
        return new RolloutDevicesPage(s.RolloutId, waves.Sum(x => x.DeviceIds.Count), page);
    }

    /// <summary>Which wave the device is in and what it waits for.</summary>
    public static DeviceExplanation Explain(RolloutState s, string deviceId, DateTimeOffset now)
    {
        if (!s.Devices.TryGetValue(deviceId, out var d))
            return new DeviceExplanation(s.RolloutId, deviceId, null, null, null, null, null,
                s.Status == RolloutStatus.None ? "no such rollout" : "not a device of this rollout");
        var wave = s.Waves[d.Wave];
        var (waitingFor, detail) = WaitOf(s, d, now);
        return new DeviceExplanation(s.RolloutId, deviceId, d.Wave, wave.Name, d.Step, d.Outcome, waitingFor, detail);
    }

    private static (string? WaitingFor, string Detail) WaitOf(RolloutState s, RolloutDevice d, DateTimeOffset now)
    {
        var wave = s.Waves[d.Wave];
        switch (d.Step)
        {
            case RolloutDeviceStep.Finished:
                var reverted = d.Reverted ? ", then reverted to its old image" : "";
                return (null, d.Outcome is { } o ? $"finished: {o}{reverted} ({d.Reason})" : $"skipped: {d.Reason}");
            case RolloutDeviceStep.RolledBack:
                return (null, $"rolled back: {d.RollbackOutcome}");
            case RolloutDeviceStep.RollingBack:
                return ("device", "its rollback saga runs (update " + d.RollbackUpdateId + ")");
            case RolloutDeviceStep.Commanded when s.DownloadOnly && !d.Activated:
                return s.Status == RolloutStatus.Staging
                    ? ("activation", "staging the image; the swap waits for the rollout's activate")
                    : ("gate", $"staged; the swap waits for its wave '{wave.Name}' ({WaveWait(s, d.Wave, now)})");
            case RolloutDeviceStep.Commanded:
                return WindowWait(s, d, now) is { } closed
                    ? ("window", $"its saga runs (update {d.UpdateId}) and stages the image; {closed}")
                    : ("device", $"its saga runs (update {d.UpdateId}); " + WindowNote(s, d, now));
        }
        // Pending: not commanded yet.
        if (s.Status is RolloutStatus.Paused) return ("operator", "the rollout is paused");
        if (s.Status is RolloutStatus.Halted) return ("operator", "the rollout is halted: " + s.HaltReason);
        if (s.IsTerminal || s.Status == RolloutStatus.RollingBack)
            return (null, $"never commanded: the rollout is {s.Status}");
        if (s.Status == RolloutStatus.Staging)
            return ("rate limit", $"staging starts one device per rate-limit slot; the next at {s.NextSlotAt:O}");
        if (d.Wave > s.CurrentWave)
        {
            var current = s.Waves[s.CurrentWave];
            return current.Phase == WavePhase.AwaitingApproval
                ? ("approval", $"wave '{current.Name}' awaits approval before wave '{wave.Name}' starts")
                : ("gate", $"wave '{current.Name}' must pass its gate first ({WaveWait(s, s.CurrentWave, now)})");
        }
        if (s.Policy!.Limits.DevicesPerMinute > 0 && s.NextSlotAt > now)
            return ("rate limit",
                $"next start slot at {s.NextSlotAt:O} ({s.Policy.Limits.DevicesPerMinute} devices per minute)");
        return ("in-flight limit", $"{s.InFlight} of {s.Policy.Limits.MaxInFlight} sagas in flight");
    }

    private static string WaveWait(RolloutState s, int index, DateTimeOffset now) => GateState(s, index, now);

    /// <summary>Why the swap cannot happen now: the device's maintenance window is closed (null: it is open, or
    /// there is none).</summary>
    private static string? WindowWait(RolloutState s, RolloutDevice d, DateTimeOffset now) =>
        Window(s, d) is { } w && w.DescribeProblem() is null && !w.Contains(now)
            ? $"the swap waits for its maintenance window {w} (local {w.LocalTime(now):HH\\:mm}), which opens at "
              + $"{w.NextOpening(now):O}"
            : null;

    private static string WindowNote(RolloutState s, RolloutDevice d, DateTimeOffset now) => Window(s, d) is { } w
        ? $"its maintenance window {w} is open (local {w.LocalTime(now):HH\\:mm})"
        : "no maintenance window";

    private static SwapWindow? Window(RolloutState s, RolloutDevice d) => s.Policy?.Window is { } w
        ? new SwapWindow(w.LocalStart, w.LocalEnd, d.TimeZone)
        : null;
}
