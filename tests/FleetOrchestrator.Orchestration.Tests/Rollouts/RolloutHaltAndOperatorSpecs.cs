using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.Rollouts;
using FleetOrchestrator.Orchestration.Rollouts.Effects;
using FleetOrchestrator.Orchestration.Rollouts.Events;
using FleetOrchestrator.Orchestration.Rollouts.Messages;
using FleetOrchestrator.Orchestration.Rollouts.Policy;
using FleetOrchestrator.Orchestration.Rollouts.Views;
using FleetOrchestrator.Orchestration.Tests.Support;
using static FleetOrchestrator.Orchestration.Tests.Support.RolloutFixtures;

namespace FleetOrchestrator.Orchestration.Tests.Rollouts;

/// <summary>Every onHalt policy, and pause / resume / cancel / rollback in every wave state (pure decider).</summary>
public sealed class RolloutHaltAndOperatorSpecs
{
    private static RolloutRun Run(HaltAction onHalt = HaltAction.Pause, bool rollbackTarget = true,
        GatePolicy? gate = null) =>
        new RolloutRun().Started(Start(Policy(gate: gate ?? Gate(soak: TimeSpan.Zero), onHalt: onHalt), Waves(4, 6, 6),
            rollbackTarget));

    /// <summary>Canary passed (4 Updated); wave 2: d04..d06 Updated, d07 Failed, d08 and d09 running.</summary>
    private static RolloutRun HaltInSecondWave(HaltAction onHalt, bool rollbackTarget = true)
    {
        var run = Run(onHalt, rollbackTarget, Gate(minSample: 4, failures: 0.2, soak: TimeSpan.Zero));
        run.ConcludeWave(0, UpdateOutcome.Updated);
        Assert.Equal(1, run.State.CurrentWave);
        foreach (var id in new[] { "d04", "d05", "d06" }) run.Conclude(id, UpdateOutcome.Updated);
        run.Effects.Clear();
        run.Conclude("d07", UpdateOutcome.Failed); // 1/4 = 25% > 20%
        return run;
    }

    [Fact]
    public void OnHalt_pause_stops_commanding_and_waits_for_the_operator()
    {
        var run = HaltInSecondWave(HaltAction.Pause);
        Assert.Equal(RolloutStatus.Halted, run.State.Status);
        Assert.Empty(run.Effects); // running sagas go on, nothing new, nothing rolled back
        run.Conclude("d08", UpdateOutcome.Updated);
        Assert.Equal(RolloutStatus.Halted, run.State.Status);
        Assert.Equal(1, run.State.Devices.Values.Count(d => d.Step == RolloutDeviceStep.Commanded));

        var resume = run.Command(new ResumeRollout(RolloutId, Ops));
        Assert.False(resume.Accepted);
        Assert.Contains("approve the wave to override", resume.Reason);
    }

    [Fact]
    public void An_operator_may_override_a_halt_by_approving_the_wave()
    {
        var run = HaltInSecondWave(HaltAction.Pause);
        Assert.True(run.Command(new ApproveWave(RolloutId, Ops)).Accepted);
        Assert.Equal(RolloutStatus.Running, run.State.Status);
        Assert.Null(run.State.HaltReason);
        Assert.Equal(6, run.Started().Count);
        Assert.Contains(run.State.Audit, a => a.Action == "approve");
    }

    [Fact]
    public void OnHalt_rollbackWave_cancels_the_waves_running_sagas_and_rolls_back_its_updated_devices_only()
    {
        var run = HaltInSecondWave(HaltAction.RollbackWave);
        Assert.Equal(RolloutStatus.RollingBack, run.State.Status);
        Assert.Equal(["d08", "d09"], run.Take<CancelDeviceUpdate>().Select(c => c.DeviceId));
        var rollbacks = run.Take<RollBackDevice>();
        Assert.Equal(["d04", "d05", "d06"], rollbacks.Select(r => r.DeviceId));
        Assert.All(rollbacks, r => Assert.Equal("fw-1.0.0", r.Previous.ArtifactId));
        Assert.Equal("r1-rb-d04", rollbacks[0].UpdateId);

        // A cancelled saga that was past the commit ends Updated anyway: it is rolled back too.
        run.Conclude("d08", UpdateOutcome.Updated);
        Assert.Equal(["d08"], run.Take<RollBackDevice>().Select(r => r.DeviceId));
        run.Conclude("d09", UpdateOutcome.Cancelled);
        foreach (var id in new[] { "d04", "d05", "d06", "d08" })
        {
            Assert.Equal(RolloutStatus.RollingBack, run.State.Status);
            run.Command(new SagaConcluded(RolloutId, id, $"r1-rb-{id}", UpdateOutcome.Updated, "rolled back", run.Now));
        }
        Assert.Equal(RolloutStatus.RolledBack, run.State.Status);
        Assert.Equal(WavePhase.RolledBack, run.Wave(1).Phase);
        Assert.Equal(WavePhase.Passed, run.Wave(0).Phase); // the canary keeps the new image
        Assert.Equal(WavePhase.NotStarted, run.Wave(2).Phase);
        Assert.All(run.Wave(2).DeviceIds, id => Assert.Equal(RolloutDeviceStep.Pending, run.State.Devices[id].Step));
    }

    [Fact]
    public void OnHalt_rollbackAll_rolls_back_every_device_the_rollout_updated()
    {
        var run = HaltInSecondWave(HaltAction.RollbackAll);
        Assert.Equal(["d00", "d01", "d02", "d03", "d04", "d05", "d06"],
            run.Take<RollBackDevice>().Select(r => r.DeviceId).Order());
        Assert.Equal([0, 1, 2], run.State.RollbackWaves);
    }

    [Fact]
    public void A_rollback_halt_without_a_previous_image_halts_and_says_why()
    {
        var run = HaltInSecondWave(HaltAction.RollbackAll, rollbackTarget: false);
        Assert.Equal(RolloutStatus.Halted, run.State.Status);
        Assert.Contains("no previous image", run.State.HaltReason);
        Assert.Empty(run.Take<RollBackDevice>());
        Assert.False(run.Command(new RollBackRollout(RolloutId, Ops)).Accepted);
    }

    public static TheoryData<WavePhase> WaveStates =>
        [WavePhase.Running, WavePhase.Soaking, WavePhase.AwaitingApproval];

    /// <summary>The second wave is current and in <paramref name="phase"/> (Running: d05 finished).</summary>
    private static RolloutRun InWaveState(WavePhase phase)
    {
        var manual = phase == WavePhase.AwaitingApproval;
        var run = Run(gate: Gate(minSample: 2, approval: manual ? ApprovalMode.Manual : ApprovalMode.Auto,
            soak: manual ? TimeSpan.Zero : Soak));
        run.ConcludeWave(0, UpdateOutcome.Updated);
        if (phase == WavePhase.AwaitingApproval) Assert.True(run.Command(new ApproveWave(RolloutId, Ops)).Accepted);
        else run.Advance(Soak);
        Assert.Equal(1, run.State.CurrentWave);
        if (phase == WavePhase.Running) run.Conclude("d05", UpdateOutcome.Updated);
        else run.ConcludeWave(1, UpdateOutcome.Updated);
        Assert.Equal(phase, run.Wave(1).Phase);
        run.Effects.Clear();
        return run;
    }

    [Theory]
    [MemberData(nameof(WaveStates))]
    public void Pause_freezes_the_rollout_in_any_wave_state_and_resume_goes_on(WavePhase phase)
    {
        var run = InWaveState(phase);
        Assert.True(run.Command(new PauseRollout(RolloutId, Ops)).Accepted);
        Assert.Equal(RolloutStatus.Paused, run.State.Status);
        Assert.Null(run.State.NextWake); // no soak end, no slot while paused
        Assert.False(run.Command(new PauseRollout(RolloutId, Ops)).Accepted);
        if (phase == WavePhase.Running)
            run.ConcludeWave(1, UpdateOutcome.Updated); // outcomes are recorded, nothing is decided
        run.Advance(Soak * 2);
        Assert.Empty(run.Started());
        Assert.Equal(1, run.State.CurrentWave);
        Assert.False(run.Command(new ApproveWave(RolloutId, Ops)).Accepted);

        Assert.True(run.Command(new ResumeRollout(RolloutId, Ops)).Accepted);
        if (phase == WavePhase.AwaitingApproval)
        {
            Assert.Equal(WavePhase.AwaitingApproval, run.Wave(1).Phase);
            Assert.True(run.Command(new ApproveWave(RolloutId, Ops)).Accepted);
        }
        Assert.Equal(2, run.State.CurrentWave);
        Assert.Equal(6, run.Started().Count);
        Assert.Equal(["start", "pause", "resume"], run.State.Audit.Select(a => a.Action).Where(a => a != "approve"));
    }

    [Theory]
    [MemberData(nameof(WaveStates))]
    public void Cancel_in_any_wave_state_cancels_the_running_sagas_and_commands_nothing_more(WavePhase phase)
    {
        var run = InWaveState(phase);
        Assert.True(run.Command(new CancelRollout(RolloutId, new OperatorAction("bob", "wrong image"))).Accepted);
        Assert.Equal(RolloutStatus.Cancelled, run.State.Status);
        var cancels = run.Take<CancelDeviceUpdate>();
        string[] running = phase == WavePhase.Running ? ["d04", "d06", "d07", "d08", "d09"] : [];
        Assert.Equal(running, cancels.Select(c => c.DeviceId));
        Assert.All(cancels, c => Assert.Contains("wrong image", c.Reason));
        run.Advance(Soak * 2);
        Assert.Empty(run.Started());
        Assert.False(run.Command(new ResumeRollout(RolloutId, Ops)).Accepted);
        Assert.False(run.Command(new CancelRollout(RolloutId, Ops)).Accepted);
        Assert.Contains(run.State.Audit, a => a is { Action: "cancel", Who: "bob", Why: "wrong image" });
    }

    [Fact]
    public void Pause_resume_and_cancel_while_staging()
    {
        var policy = Policy(waves: 2, downloadOnly: true, devicesPerMinute: 60);
        var run = new RolloutRun().Started(Start(policy, Waves(2, 2)));
        Assert.Equal(["d00"], run.Started());
        Assert.Equal("rate limit", RolloutViews.Explain(run.State, "d03", run.Now).WaitingFor);
        Assert.True(run.Command(new PauseRollout(RolloutId, Ops)).Accepted);
        run.Advance(TimeSpan.FromMinutes(5));
        Assert.Empty(run.Started()); // paused: no more staging starts
        Assert.False(run.Command(new ActivateRollout(RolloutId, Ops)).Accepted);
        Assert.True(run.Command(new ResumeRollout(RolloutId, Ops)).Accepted);
        Assert.Equal(RolloutStatus.Staging, run.State.Status);
        Assert.Equal(["d01"], run.Started());
        Assert.True(run.Command(new CancelRollout(RolloutId, Ops)).Accepted);
        Assert.Equal(["d00", "d01"], run.Take<CancelDeviceUpdate>().Select(c => c.DeviceId));
        run.Advance(TimeSpan.FromMinutes(5));
        Assert.Empty(run.Started());
    }

    [Fact]
    public void Cancel_and_pause_of_a_halted_rollout()
    {
        var run = HaltInSecondWave(HaltAction.Pause);
        Assert.False(run.Command(new PauseRollout(RolloutId, Ops)).Accepted);
        Assert.True(run.Command(new CancelRollout(RolloutId, Ops)).Accepted);
        Assert.Equal(["d08", "d09"], run.Take<CancelDeviceUpdate>().Select(c => c.DeviceId));
    }

    [Fact]
    public void An_operator_rollback_of_a_completed_rollout_returns_every_updated_device()
    {
        var run = Run();
        for (var w = 0; w < 3; w++) run.ConcludeWave(w, UpdateOutcome.Updated);
        Assert.Equal(RolloutStatus.Completed, run.State.Status);
        Assert.True(run.Command(new RollBackRollout(RolloutId, Ops)).Accepted);
        Assert.Equal(16, run.Take<RollBackDevice>().Count);
        Assert.IsType<RollbackStarted>(run.LastEvents[0]);
        Assert.Contains(run.State.Audit, a => a.Action == "rollback");
        Assert.False(run.Command(new RollBackRollout(RolloutId, Ops)).Accepted);
    }

    [Fact]
    public void Operator_actions_without_who_are_refused_and_change_nothing()
    {
        var run = Run();
        var reply = run.Command(new PauseRollout(RolloutId, new OperatorAction(" ", "x")));
        Assert.False(reply.Accepted);
        Assert.Contains("who", reply.Reason);
        Assert.Empty(run.LastEvents);
    }
}
