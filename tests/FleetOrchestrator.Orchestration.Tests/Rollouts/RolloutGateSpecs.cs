using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.Rollouts;
using FleetOrchestrator.Orchestration.Rollouts.Decisions;
using FleetOrchestrator.Orchestration.Rollouts.Events;
using FleetOrchestrator.Orchestration.Rollouts.Policy;
using FleetOrchestrator.Orchestration.Tests.Support;
using static FleetOrchestrator.Orchestration.Tests.Support.RolloutFixtures;

namespace FleetOrchestrator.Orchestration.Tests.Rollouts;

/// <summary>The gate's decisions on the pure decider: sample, failure share, success share, soak, approval.</summary>
public sealed class RolloutGateSpecs
{
    private static RolloutRun Run(GatePolicy? gate = null, int[]? sizes = null, HaltAction onHalt = HaltAction.Pause)
    {
        sizes ??= [5, 10, 10];
        return new RolloutRun().Started(Start(Policy(waves: sizes.Length, gate: gate, onHalt: onHalt), Waves(sizes)));
    }

    [Fact]
    public void The_start_commands_only_the_canary_with_deterministic_update_ids()
    {
        var run = Run();
        Assert.Equal(Waves(5)[0], run.Started());
        Assert.Equal(WavePhase.Running, run.Wave(0).Phase);
        Assert.Equal(WavePhase.NotStarted, run.Wave(1).Phase);
        Assert.Equal("r1-d00", run.State.Devices["d00"].UpdateId);
        Assert.Equal(5, run.State.InFlight);
    }

    [Fact]
    public void No_decision_before_the_minimum_sample_then_a_halt_as_soon_as_the_failure_share_is_exceeded()
    {
        var run = Run(Gate(minSample: 3, failures: 0.2));
        run.Conclude("d00", UpdateOutcome.Failed);
        run.Conclude("d01", UpdateOutcome.Failed);
        Assert.Equal(RolloutStatus.Running, run.State.Status); // 2 of 3: no decision yet, although 100% failed

        run.Conclude("d02", UpdateOutcome.Updated); // 3 decisive, 2/3 failed > 20%: halt before the wave finished
        Assert.Equal(RolloutStatus.Halted, run.State.Status);
        Assert.Equal(WavePhase.Halted, run.Wave(0).Phase);
        Assert.StartsWith("failure share 2/3", run.State.HaltReason);
        Assert.Empty(run.Take<Orchestration.Rollouts.Effects.StartDeviceUpdate>().Skip(5));
    }

    [Fact]
    public void A_wave_whose_verdict_can_no_longer_change_passes_without_waiting_for_its_last_devices()
    {
        // 10 devices, success >= 0.8, failures <= 0.2: once 8 are Updated, even 2 failures would pass.
        var run = Run(Gate(minSample: 3, success: 0.8, failures: 0.2, soak: TimeSpan.Zero), [10, 10, 10]);
        for (var i = 0; i < 7; i++) run.Conclude(Device(i), UpdateOutcome.Updated);
        Assert.Equal(GateVerdictKind.WaitingForDevices, RolloutGate.Judge(run.State, 0, run.Now).Kind); // 7 of 10
        run.Conclude(Device(7), UpdateOutcome.Updated);
        Assert.Equal(WavePhase.Passed, run.Wave(0).Phase);
        Assert.Equal(WavePhase.Running, run.Wave(1).Phase);
        Assert.Equal(12, run.State.InFlight); // the canary's last 2 still run beside the next wave

        run.Conclude(Device(8), UpdateOutcome.Failed); // the tail ends as it may: the passed wave stays passed
        Assert.Equal(RolloutStatus.Running, run.State.Status);
        Assert.Equal(WavePhase.Passed, run.Wave(0).Phase);
    }

    [Fact]
    public void The_last_wave_waits_for_every_device_so_completed_means_finished()
    {
        var run = Run(Gate(minSample: 1, success: 0.5, failures: 0.5, soak: TimeSpan.Zero), [1, 4]);
        run.Conclude(Device(0), UpdateOutcome.Updated);
        for (var i = 1; i < 4; i++) run.Conclude(Device(i), UpdateOutcome.Updated); // 3 of 4: settled, but last
        Assert.Equal(GateVerdictKind.WaitingForDevices, RolloutGate.Judge(run.State, 1, run.Now).Kind);
        Assert.Equal(RolloutStatus.Running, run.State.Status);
        run.Conclude(Device(4), UpdateOutcome.Updated);
        Assert.Equal(RolloutStatus.Completed, run.State.Status);
    }

    [Fact]
    public void The_last_wave_also_waits_for_the_devices_an_earlier_settled_wave_left_running()
    {
        var run = Run(Gate(minSample: 3, success: 0.8, failures: 0.2, soak: TimeSpan.Zero), [10, 2]);
        for (var i = 0; i < 8; i++) run.Conclude(Device(i), UpdateOutcome.Updated); // settled: the canary passes
        Assert.Equal(WavePhase.Passed, run.Wave(0).Phase);
        run.Conclude(Device(10), UpdateOutcome.Updated);
        run.Conclude(Device(11), UpdateOutcome.Updated); // the last wave is all finished

        var verdict = RolloutGate.Judge(run.State, 1, run.Now);
        Assert.Equal(GateVerdictKind.WaitingForDevices, verdict.Kind);
        Assert.Contains("2 of earlier waves still running", verdict.Detail);
        Assert.Equal(RolloutStatus.Running, run.State.Status);
        run.Conclude(Device(8), UpdateOutcome.Updated);
        run.Conclude(Device(9), UpdateOutcome.Failed);
        Assert.Equal(RolloutStatus.Completed, run.State.Status);
        Assert.Equal(0, run.State.InFlight);
    }

    [Fact]
    public void Devices_a_wave_passing_early_never_started_are_started_before_the_next_wave_and_awaited()
    {
        // 20 devices, 2 in flight: after 16 Updated even 4 failures would pass, so the wave passes while 2 devices
        // run and 2 were never started (found by a 100,000-device run: 1,001 such devices, never started, and the
        // last wave waiting for them for ever).
        var gate = Gate(minSample: 3, success: 0.8, failures: 0.2, soak: TimeSpan.Zero);
        var run = new RolloutRun().Started(Start(Policy(waves: 2, gate: gate, maxInFlight: 2), Waves(20, 2)));
        for (var i = 0; i < 16; i++) run.Conclude(Device(i), UpdateOutcome.Updated);
        Assert.Equal(WavePhase.Passed, run.Wave(0).Phase);
        Assert.Equal(WavePhase.Running, run.Wave(1).Phase);
        Assert.Equal(18, run.Wave(0).Tally.Commanded);
        run.Started();

        run.Conclude(Device(16), UpdateOutcome.Updated);
        Assert.Equal([Device(18)], run.Started()); // the passed wave's own devices first
        run.Conclude(Device(17), UpdateOutcome.Updated);
        Assert.Equal([Device(19)], run.Started());
        run.Conclude(Device(18), UpdateOutcome.Updated);
        Assert.Equal([Device(20)], run.Started());
        run.Conclude(Device(19), UpdateOutcome.Updated);
        Assert.Equal([Device(21)], run.Started());
        run.Conclude(Device(20), UpdateOutcome.Updated);
        run.Conclude(Device(21), UpdateOutcome.Updated);
        Assert.Equal(RolloutStatus.Completed, run.State.Status);
        Assert.Equal(0, run.State.InFlight);
    }

    [Fact]
    public void Incompatible_and_UpToDate_count_as_neither_and_are_left_out_of_the_denominator()
    {
        var run = Run(Gate(minSample: 3, failures: 0.2, success: 0.9));
        run.Conclude("d00", UpdateOutcome.Incompatible);
        run.Conclude("d01", UpdateOutcome.UpToDate);
        run.Conclude("d02", UpdateOutcome.Updated);
        run.Conclude("d03", UpdateOutcome.Updated);
        Assert.Equal(2, run.Wave(0).Tally.Decisive);
        Assert.Equal(GateVerdictKind.WaitingForSample, RolloutGate.Judge(run.State, 0, run.Now).Kind);
        run.Conclude("d04", UpdateOutcome.Updated); // all finished: 3/3 Updated
        Assert.Equal(WavePhase.Soaking, run.Wave(0).Phase);
    }

    [Fact]
    public void A_wave_smaller_than_the_sample_is_judged_once_all_of_it_finished()
    {
        var run = Run(Gate(minSample: 10, failures: 0.2), sizes: [2, 5]);
        run.Conclude("d00", UpdateOutcome.Failed);
        Assert.Equal(RolloutStatus.Running, run.State.Status);
        run.Conclude("d01", UpdateOutcome.Updated);
        Assert.Equal(RolloutStatus.Halted, run.State.Status);
    }

    [Fact]
    public void A_wave_that_finished_below_the_success_threshold_halts()
    {
        // 1 failure in 5 is 20%: not above failuresAtMost 0.25, but 80% Updated is below successAtLeast 0.9.
        var run = Run(Gate(minSample: 3, failures: 0.25, success: 0.9));
        foreach (var id in new[] { "d01", "d02", "d03" }) run.Conclude(id, UpdateOutcome.Updated);
        run.Conclude("d00", UpdateOutcome.Lost); // 1/4 = 25%: not above
        Assert.Equal(RolloutStatus.Running, run.State.Status);
        run.Conclude("d04", UpdateOutcome.Updated);
        Assert.Equal(RolloutStatus.Halted, run.State.Status);
        Assert.StartsWith("success threshold not reached: 4/5 Updated", run.State.HaltReason);
    }

    [Fact]
    public void A_passing_wave_soaks_from_its_last_success_then_the_next_wave_starts()
    {
        var run = Run();
        run.Started();
        run.ConcludeWave(0, UpdateOutcome.Updated);
        var lastSuccess = run.Now;
        Assert.Equal(WavePhase.Soaking, run.Wave(0).Phase);
        Assert.Equal(lastSuccess + Soak, run.Wave(0).SoakUntil);
        Assert.Equal(lastSuccess + Soak, run.State.NextWake);
        Assert.Empty(run.Started());

        run.Advance(Soak - TimeSpan.FromSeconds(1));
        Assert.Empty(run.LastEvents);
        Assert.Equal(WavePhase.Soaking, run.Wave(0).Phase);

        run.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(WavePhase.Passed, run.Wave(0).Phase);
        Assert.Equal(WavePhase.Running, run.Wave(1).Phase);
        Assert.Equal(Waves(5, 10)[1], run.Started());
        Assert.Collection(run.LastEvents, e => Assert.IsType<WavePassed>(e), e => Assert.IsType<WaveStarted>(e),
            e => Assert.IsType<DevicesCommanded>(e));
    }

    [Fact]
    public void A_revert_during_the_soak_is_a_failure_of_the_wave()
    {
        var run = Run(Gate(minSample: 3, failures: 0.1));
        run.ConcludeWave(0, UpdateOutcome.Updated);
        Assert.Equal(WavePhase.Soaking, run.Wave(0).Phase);
        run.Command(new Orchestration.Rollouts.Messages.DeviceReverted(RolloutId, "d03", "r1-d03", run.Now));
        Assert.Equal(RolloutStatus.Halted, run.State.Status);
        Assert.StartsWith("failure share 1/5", run.State.HaltReason);
        Assert.True(run.State.Devices["d03"].Reverted);
    }

    [Fact]
    public void Manual_approval_waits_for_the_operator_after_the_soak()
    {
        var run = Run(Gate(approval: ApprovalMode.Manual));
        run.Started();
        var early = run.Command(new Orchestration.Rollouts.Messages.ApproveWave(RolloutId, Ops));
        Assert.False(early.Accepted); // the wave is still running
        run.ConcludeWave(0, UpdateOutcome.Updated);
        run.Advance(Soak);
        Assert.Equal(WavePhase.AwaitingApproval, run.Wave(0).Phase);
        Assert.Null(run.State.NextWake);
        Assert.Empty(run.Started());

        Assert.False(run.Command(new Orchestration.Rollouts.Messages.ApproveWave(RolloutId, Ops, Wave: 1)).Accepted);
        var nobody = new OperatorAction("", "x");
        Assert.False(run.Command(new Orchestration.Rollouts.Messages.ApproveWave(RolloutId, nobody)).Accepted);
        Assert.True(run.Command(new Orchestration.Rollouts.Messages.ApproveWave(RolloutId, Ops, Wave: 0)).Accepted);
        Assert.Equal(WavePhase.Passed, run.Wave(0).Phase);
        Assert.Equal(10, run.Started().Count);
        Assert.Contains(run.State.Audit,
            a => a is { Action: "approve", Who: "alice", Why: "change 42" } && a.At == run.Now);
    }

    [Fact]
    public void The_last_wave_passing_completes_the_rollout_and_empty_waves_pass_at_once()
    {
        var run = Run(Gate(soak: TimeSpan.Zero), sizes: [2, 0, 3]);
        run.ConcludeWave(0, UpdateOutcome.Updated);
        Assert.Equal(WavePhase.Passed, run.Wave(1).Phase); // empty: nothing to judge
        Assert.Equal(2, run.State.CurrentWave);
        run.ConcludeWave(2, UpdateOutcome.Updated);
        Assert.Equal(RolloutStatus.Completed, run.State.Status);
        Assert.All(run.State.Waves, w => Assert.Equal(WavePhase.Passed, w.Phase));
    }

    [Fact]
    public void A_conclusion_delivered_twice_is_recorded_once()
    {
        var run = Run();
        run.Conclude("d00", UpdateOutcome.Updated);
        var again = run.Command(Concluded(run.State, "d00", UpdateOutcome.Updated, run.Now));
        Assert.True(again.Accepted);
        Assert.Empty(run.LastEvents);
        Assert.Equal(1, run.Wave(0).Tally.Updated);
        var foreign = run.Command(new Orchestration.Rollouts.Messages.SagaConcluded(RolloutId, "d01", "other-update",
            UpdateOutcome.Failed, null, run.Now));
        Assert.True(foreign.Accepted);
        Assert.Empty(run.LastEvents);
    }
}
