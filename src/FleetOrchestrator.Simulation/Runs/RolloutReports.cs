using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.L072.Agent;
using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.Rollouts;
using FleetOrchestrator.Orchestration.Rollouts.Messages;
using FleetOrchestrator.Orchestration.Rollouts.Planning;
using FleetOrchestrator.Orchestration.Rollouts.Policy;
using FleetOrchestrator.Simulation.Faults;

namespace FleetOrchestrator.Simulation.Runs;

/// <summary>
/// The rollout part of a `fleet simulate --rollout` report, and what it changes in the rest: a device the rollout
/// never commanded counts as NotStarted (expected to be untouched: no saga, still on its old version), unfinished
/// means commanded and not concluded, and the run passes only when the rollout ended as its policy demands. Once the
/// rollout rolls back or cancels, a saga it cancelled ends Cancelled (before the swap) or RolledBack (after it), and
/// both are expected.
/// </summary>
internal static class RolloutReports
{
    public const string NotStarted = "NotStarted";

    /// <summary>The dry run: the plan, nothing commanded.</summary>
    public static RolloutReport Planned(string rolloutId, RolloutPolicy policy, RolloutPlan plan) => new(
        rolloutId, policy.Name, "Planned", null, EndedAsPolicySays: true, "dry run: nothing commanded", 0, 0,
        plan.Waves.Select(w => new WaveReport(w.Name, nameof(WavePhase.NotStarted), w.DeviceIds,
            new Dictionary<string, int> { [NotStarted] = w.DeviceIds.Count }, "not started")).ToList(),
        Excluded(plan), Math.Round(plan.Eta.TotalSeconds, 1));

    public static SimulationReport Apply(SimulationReport report, string rolloutId, RolloutPolicy policy,
        RolloutPlan plan, RolloutView? view, IReadOnlyDictionary<string, RolloutDevice> devices,
        IReadOnlyDictionary<string, DeviceFaults> faults, IReadOnlyDictionary<string, AgentReport> truth,
        Func<string, SemanticVersion> initialVersionOf, DateTimeOffset? updatesBegan = null)
    {
        double? Since(DateTimeOffset? at) =>
            at is { } t && updatesBegan is { } began ? Math.Round(Math.Max(0, (t - began).TotalSeconds), 3) : null;
        var state = view?.Status ?? RolloutStatus.None;
        var cancelling = state is RolloutStatus.RolledBack or RolloutStatus.Cancelled or RolloutStatus.RollingBack;
        int notStartedViolations = 0, unexpected = 0, unfinished = 0, notStarted = 0;
        var outcomes = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var results = new List<DeviceResult>(report.DeviceResults.Count);
        foreach (var result in report.DeviceResults)
        {
            var id = result.Id;
            devices.TryGetValue(id, out var device);
            var t = truth[id];
            if (device is null || device.Step == RolloutDeviceStep.Pending)
            {
                notStarted++;
                if (result.Outcome is not null || t.RunningVersion != initialVersionOf(id)) notStartedViolations++;
                results.Add(result with { Outcome = result.Outcome ?? NotStarted, ExpectedOutcome = NotStarted });
                continue;
            }
            var outcome = device.Outcome?.ToString() ?? result.Outcome;
            var expected = faults[id].CrashLoop ? UpdateOutcome.RolledBack : UpdateOutcome.Updated;
            if (outcome is null) unfinished++;
            else
            {
                outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
                var acceptable = outcome == expected.ToString()
                                 || (cancelling
                                     && outcome is nameof(UpdateOutcome.Cancelled) or nameof(UpdateOutcome.RolledBack));
                if (!acceptable) unexpected++;
            }
            results.Add(result with { Outcome = outcome, ExpectedOutcome = expected.ToString() });
        }
        if (notStarted > 0) outcomes[NotStarted] = notStarted;

        var waves = plan.Waves.Select((w, i) =>
        {
            var wave = view is not null && i < view.Waves.Count ? view.Waves[i] : null;
            return new WaveReport(w.Name, wave?.Phase.ToString() ?? nameof(WavePhase.NotStarted), w.DeviceIds,
                wave?.Outcomes ?? new Dictionary<string, int> { [NotStarted] = w.DeviceIds.Count },
                wave?.GateState ?? "not started", Since(wave?.StartedAt), Since(wave?.EndedAt),
                Decisions(wave, Since(wave?.EndedAt)));
        }).ToList();
        var notRestored = plan.Waves.Where((_, i) => view is not null && i < view.Waves.Count
                                                     && view.Waves[i].Phase == WavePhase.RolledBack)
            .SelectMany(w => w.DeviceIds)
            .Count(id => truth[id].RunningVersion != initialVersionOf(id));
        var (ended, verdict) = Judge(policy, view);
        var rollout = new RolloutReport(rolloutId, policy.Name, state.ToString(), view?.HaltReason, ended, verdict,
            notStartedViolations, notRestored, waves, Excluded(plan), Math.Round(plan.Eta.TotalSeconds, 1));
        return report with
        {
            Outcomes = outcomes,
            Unfinished = unfinished,
            Invariants = report.Invariants with { UnexpectedOutcomes = unexpected },
            DeviceResults = results,
            Rollout = rollout,
        };
    }

    /// <summary>
    /// Did the rollout end the way its policy demands? Completed: every wave passed. Halted (onHalt pause) or
    /// RolledBack (onHalt rollbackWave/rollbackAll): the halted wave's own counts must allow the halt under its gate
    /// (<see cref="GateDemandsHalt"/>).
    /// </summary>
    public static (bool Ended, string Verdict) Judge(RolloutPolicy policy, RolloutView? view)
    {
        if (view is null) return (false, "the rollout did not answer");
        switch (view.Status)
        {
            case RolloutStatus.Completed:
                return view.Waves.All(w => w.Phase == WavePhase.Passed)
                    ? (true, "completed: every wave passed its gate")
                    : (false, "completed with a wave that did not pass");
            case RolloutStatus.Halted or RolloutStatus.RolledBack:
                var expectedState = policy.OnHalt == HaltAction.Pause ? RolloutStatus.Halted : RolloutStatus.RolledBack;
                if (view.Status != expectedState)
                    return (false, $"{view.Status} although onHalt {policy.OnHalt} calls for {expectedState}");
                var index = HaltedWave(view);
                if (index < 0) return (false, $"{view.Status} but no wave records a halt");
                var gate = policy.Ramp is null && index < policy.Waves.Count
                    ? policy.Waves[index].Gate ?? policy.Gate
                    : policy.Gate;
                return GateDemandsHalt(gate, view.Waves[index]) is { } why
                    ? (true, $"{view.Status} at wave {view.Waves[index].Name} as the gate demands: {why}")
                    : (false, $"{view.Status} at wave {view.Waves[index].Name} although its counts pass the gate");
            default:
                return (false, $"the rollout ended {view.Status}, which this run never asks for");
        }
    }

    private static int HaltedWave(RolloutView view)
    {
        for (var i = 0; i < view.Waves.Count; i++)
        {
            if (view.Waves[i].HaltReason is not null || view.Waves[i].Phase == WavePhase.Halted) return i;
        }
        return -1;
    }

    /// <summary>
    /// Why the wave's final counts allow the halt the engine made, or null when no moment of the wave could have called
    /// for it. The gate halts on failures as soon as the share among the decisive devices so far exceeds the threshold,
    /// and the order in which devices finish is not recorded, so the failure rule is checked at its most favourable
    /// moment (every failure first, at the sample size); the success rule needs the whole wave finished.
    /// </summary>
    public static string? GateDemandsHalt(GatePolicy gate, WaveView wave)
    {
        int Count(string key) => wave.Outcomes.GetValueOrDefault(key);
        var failures = gate.CountAsFailure.Sum(o => Count(o.ToString())) + Count("Reverted");
        var updated = Count(nameof(UpdateOutcome.Updated));
        var decisive = failures + updated;
        if (decisive == 0) return null;
        var sample = Math.Max(1, Math.Min(gate.MinSample, decisive));
        if (Math.Min(failures, sample) / (double)sample > gate.FailuresAtMost)
            return $"{failures} of {decisive} failed " +
                   $"(above failuresAtMost {gate.FailuresAtMost:0.###} once {sample} were decisive)";
        var finished = wave.Devices - Count("Running") - Count(NotStarted);
        if (finished == wave.Devices && updated / (double)decisive < gate.SuccessAtLeast)
            return $"{updated} of {decisive} updated (below successAtLeast {gate.SuccessAtLeast:0.###})";
        return null;
    }

    /// <summary>The gate's decision that ended the wave: pass (Passed) or halt (Halted, and a wave rolled back after
    /// its halt); none while it runs.</summary>
    private static List<GateDecisionReport> Decisions(WaveView? wave, double? endedAt) => wave switch
    {
        { Phase: WavePhase.Passed } when endedAt is { } at => [new GateDecisionReport(at, "pass", wave.GateState)],
        { Phase: WavePhase.Halted or WavePhase.RolledBack } when endedAt is { } at =>
            [new GateDecisionReport(at, "halt", wave.HaltReason ?? wave.GateState)],
        _ => [],
    };

    private static List<ExcludedDevice> Excluded(RolloutPlan plan) =>
        plan.Excluded.Select(e => new ExcludedDevice(e.DeviceId, e.Reason, e.Detail)).ToList();
}
