using System.Globalization;
using FleetOrchestrator.Orchestration.Rollouts.Policy;

namespace FleetOrchestrator.Orchestration.Rollouts.Decisions;

/// <summary>
/// Judges one wave's gate from its counts (pure). The rules and their order are the semantics; they are stated once,
/// in the Orchestration README ("Rollouts", "The gate"), and this method follows them line by line.
/// </summary>
public static class RolloutGate
{
    public static GateVerdict Judge(RolloutState state, int wave, DateTimeOffset now)
    {
        var w = state.Waves[wave];
        var gate = w.Gate;
        var t = w.Tally;
        var total = w.DeviceIds.Count;
        var decisive = t.Decisive;
        var allFinished = t.Finished >= total;
        var sampleReady = decisive >= gate.MinSample || allFinished;
        if (sampleReady && decisive > 0 && (double)t.Failed / decisive > gate.FailuresAtMost)
            return new GateVerdict(GateVerdictKind.Halt,
                $"failure share {t.Failed}/{decisive} ({Percent((double)t.Failed / decisive)})"
                + $" is above failuresAtMost {Percent(gate.FailuresAtMost)}");
        if (!sampleReady)
            return new GateVerdict(GateVerdictKind.WaitingForSample,
                $"waiting for sample ({decisive} of {gate.MinSample} finished)");
        // The last wave always waits for all of it: Completed means every device finished...
        if (!allFinished && (wave == state.Waves.Count - 1 || !Settled(t, total - t.Finished, gate)))
            return new GateVerdict(GateVerdictKind.WaitingForDevices,
                $"waiting for devices ({t.Finished} of {total} finished)");
        // ... and for the stragglers of earlier waves that passed on a settled verdict (rule 3).
        var stragglers = wave == state.Waves.Count - 1
            ? state.Waves.Take(wave).Sum(w => w.DeviceIds.Count - w.Tally.Finished)
            : 0;
        if (stragglers > 0)
            return new GateVerdict(GateVerdictKind.WaitingForDevices,
                $"waiting for devices ({t.Finished} of {total} finished; {stragglers} of earlier waves still running)");
        if (decisive > 0 && (double)t.Updated / decisive < gate.SuccessAtLeast)
            return new GateVerdict(GateVerdictKind.Halt,
                $"success threshold not reached: {t.Updated}/{decisive} Updated"
                + $" ({Percent((double)t.Updated / decisive)})"
                + $" is below successAtLeast {Percent(gate.SuccessAtLeast)}");
        if (t.LastSuccessAt is { } last && last + gate.Soak > now)
            return new GateVerdict(GateVerdictKind.Soaking, $"soaking until {last + gate.Soak:O}", last + gate.Soak);
        if (gate.Approval == ApprovalMode.Manual)
            return new GateVerdict(GateVerdictKind.AwaitingApproval, "awaiting approval");
        return new GateVerdict(GateVerdictKind.Pass, "passed");
    }

    /// <summary>The verdict can no longer change: even if every unfinished device failed, the success share would
    /// stay at least successAtLeast and the failure share at most failuresAtMost.</summary>
    private static bool Settled(WaveTally t, int unfinished, GatePolicy gate)
    {
        var worst = t.Decisive + unfinished;
        return worst > 0 && (double)t.Updated / worst >= gate.SuccessAtLeast
                         && (double)(t.Failed + unfinished) / worst <= gate.FailuresAtMost;
    }

    private static string Percent(double share) => (share * 100).ToString("0.##", CultureInfo.InvariantCulture) + "%";
}
