using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.Devices.Messages;
using FleetOrchestrator.Orchestration.Rollouts;
using FleetOrchestrator.Orchestration.Rollouts.Decisions;
using FleetOrchestrator.Orchestration.Rollouts.Effects;
using FleetOrchestrator.Orchestration.Rollouts.Messages;
using FleetOrchestrator.Orchestration.Rollouts.Views;
using FleetOrchestrator.Orchestration.Tests.Support;
using static FleetOrchestrator.Orchestration.Tests.Support.RolloutFixtures;

namespace FleetOrchestrator.Orchestration.Tests.Rollouts;

/// <summary>maxInFlight, devicesPerMinute, joiners, download-only, start validation, ids (pure decider).</summary>
public sealed class RolloutLimitsAndJoinersSpecs
{
    [Fact]
    public void MaxInFlight_bounds_the_running_sagas_and_a_conclusion_frees_a_slot()
    {
        var run = new RolloutRun().Started(Start(Policy(maxInFlight: 2), Waves(5, 5, 5)));
        Assert.Equal(["d00", "d01"], run.Started());
        Assert.Equal("in-flight limit", RolloutViews.Explain(run.State, "d02", run.Now).WaitingFor);
        run.Conclude("d01", UpdateOutcome.Updated);
        Assert.Equal(["d02"], run.Started());
        run.Conclude("d00", UpdateOutcome.Incompatible);
        Assert.Equal(["d03"], run.Started());
        Assert.Equal(2, run.State.InFlight);
    }

    [Fact]
    public void DevicesPerMinute_starts_one_device_per_slot_and_persists_the_next_slot()
    {
        var run = new RolloutRun().Started(Start(Policy(devicesPerMinute: 2), Waves(5, 5, 5)));
        Assert.Equal(["d00"], run.Started());
        Assert.Equal(run.Now + TimeSpan.FromSeconds(30), run.State.NextSlotAt);
        Assert.Equal(run.State.NextSlotAt, run.State.NextWake);
        Assert.Equal("rate limit", RolloutViews.Explain(run.State, "d01", run.Now).WaitingFor);
        run.Advance(TimeSpan.FromSeconds(29));
        Assert.Empty(run.Started());
        run.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(["d01"], run.Started());
        run.Conclude("d00", UpdateOutcome.Updated); // a conclusion does not jump the queue
        Assert.Empty(run.Started());
    }

    [Fact]
    public void The_rate_limit_slot_is_no_deadline_once_nothing_waits_for_it()
    {
        var run = new RolloutRun().Started(Start(Policy(waves: 2, devicesPerMinute: 60), Waves(1, 1)));
        Assert.Equal(["d00"], run.Started());
        Assert.NotNull(run.State.NextSlotAt);
        Assert.Null(run.State.NextWake); // the canary's only device is started: no slot to wait for
    }

    [Fact]
    public void Joiners_go_into_the_running_wave()
    {
        var run = new RolloutRun().Started(Start(Policy(), Waves(5, 5, 5)));
        run.Started();
        Assert.True(run.Command(new DevicesJoined(RolloutId, ["new-1", "d00", "new-1"])).Accepted);
        Assert.Equal(["new-1"], run.Started());
        Assert.Equal(0, run.State.Devices["new-1"].Wave);
        Assert.Equal(6, run.Wave(0).DeviceIds.Count);
    }

    [Fact]
    public void Joiners_during_a_soak_go_into_the_next_wave_and_into_the_last_one_at_the_end()
    {
        var run = new RolloutRun().Started(Start(Policy(), Waves(5, 5, 5)));
        run.ConcludeWave(0, UpdateOutcome.Updated);
        Assert.Equal(WavePhase.Soaking, run.Wave(0).Phase);
        run.Command(new DevicesJoined(RolloutId, ["new-1"]));
        Assert.Equal(1, run.State.Devices["new-1"].Wave);
        Assert.Equal(WavePhase.Soaking, run.Wave(0).Phase);

        run.Advance(Soak);
        run.ConcludeWave(1, UpdateOutcome.Updated);
        run.Advance(Soak);
        run.ConcludeWave(2, UpdateOutcome.Updated);
        Assert.Equal(WavePhase.Soaking, run.Wave(2).Phase);
        run.Command(new DevicesJoined(RolloutId, ["late"]));
        Assert.Equal(2, run.State.Devices["late"].Wave);
        Assert.Equal(WavePhase.Running, run.Wave(2).Phase); // the last wave runs again until the joiner finished
        Assert.Contains("late", run.Started());
        run.Conclude("late", UpdateOutcome.Updated);
        run.Advance(Soak);
        Assert.Equal(RolloutStatus.Completed, run.State.Status);
        Assert.False(run.Command(new DevicesJoined(RolloutId, ["later"])).Accepted);
    }

    [Fact]
    public void Download_only_stages_every_device_then_activates_wave_by_wave_under_the_gates()
    {
        var run = new RolloutRun().Started(Start(Policy(waves: 2, downloadOnly: true, maxInFlight: 3), Waves(4, 4)));
        Assert.Equal(RolloutStatus.Staging, run.State.Status);
        Assert.Equal(8, run.Started().Count); // staging holds no in-flight slot
        Assert.Empty(run.Take<ActivateDevice>());
        Assert.Equal("activation", RolloutViews.Explain(run.State, "d05", run.Now).WaitingFor);
        run.Conclude("d06", UpdateOutcome.Failed); // a staging failure counts in its wave later

        Assert.True(run.Command(new ActivateRollout(RolloutId, Ops)).Accepted);
        Assert.Equal(RolloutStatus.Running, run.State.Status);
        Assert.Equal(["d00", "d01", "d02"], run.Take<ActivateDevice>().Select(a => a.DeviceId));
        run.Conclude("d00", UpdateOutcome.Updated);
        Assert.Equal(["d03"], run.Take<ActivateDevice>().Select(a => a.DeviceId));
        Assert.False(run.Command(new ActivateRollout(RolloutId, Ops)).Accepted);
    }

    [Fact]
    public void A_download_only_saga_policy_never_activates_by_itself()
    {
        var run = new RolloutRun().Started(Start(Policy(waves: 2, downloadOnly: true), Waves(2, 2)));
        Assert.False(run.State.SagaPolicy!.ActivateAutomatically);
        var normal = new RolloutRun().Started(Start(Policy(), Waves(2, 2, 2)));
        Assert.True(normal.State.SagaPolicy!.ActivateAutomatically);
    }

    [Fact]
    public void A_device_that_refuses_the_start_is_skipped_and_counts_as_neither()
    {
        var run = new RolloutRun().Started(Start(Policy(gate: Gate(minSample: 2)), Waves(3, 3, 3)));
        run.Do(new DeviceStartRefused("d00", "r1-d00", "busy: update x is in Downloading"));
        Assert.Equal(RolloutDeviceStep.Finished, run.State.Devices["d00"].Step);
        Assert.Equal(1, run.Wave(0).Tally.Neutral);
        Assert.Equal("skipped: busy: update x is in Downloading",
            RolloutViews.Explain(run.State, "d00", run.Now).Detail);
    }

    [Theory]
    [InlineData("", "rollout id is empty")]
    [InlineData("a-rollout-id-that-is-far-too-long", "at most 24")]
    [InlineData("bad id", "only A-Z")]
    public void A_bad_rollout_id_is_refused(string id, string problem)
    {
        var run = new RolloutRun();
        var reply = run.Command(Start(Policy(), Waves(1, 1, 1), rolloutId: id));
        Assert.False(reply.Accepted);
        Assert.Contains(problem, reply.Reason);
        Assert.Empty(run.Journal);
    }

    [Fact]
    public void A_start_is_checked_before_anything_is_journaled()
    {
        var twice = new RolloutRun().Command(Start(Policy(), [["d00"], ["d00"], []]));
        Assert.Contains("planned in two waves", twice.Reason);
        var count = new RolloutRun().Command(Start(Policy(waves: 3), Waves(1, 1)));
        Assert.Contains("2 waves planned for a policy of 3", count.Reason);
        var noDowngrade = Start(Policy(), Waves(1, 1, 1)) with { RollbackTarget = Fleet.Target() };
        var badDowngrade = new RolloutRun().Command(noDowngrade);
        Assert.Contains("does not allow the downgrade", badDowngrade.Reason);
        var run = new RolloutRun().Started(Start(Policy(), Waves(1, 1, 1)));
        var again = run.Command(Start(Policy(), Waves(1, 1, 1)));
        Assert.True(again.Accepted);
        Assert.Equal("already started", again.Reason);
        Assert.Empty(run.LastEvents);
    }

    [Fact]
    public void Update_ids_are_deterministic_and_valid_on_the_wire_even_for_the_longest_ids()
    {
        var device = new string('x', 64);
        var id = RolloutIds.UpdateIdFor("rollout-with-24-chars-xx", device);
        Assert.Equal(id, RolloutIds.UpdateIdFor("rollout-with-24-chars-xx", device));
        Assert.NotEqual(id, RolloutIds.UpdateIdFor("rollout-with-24-chars-xx", device[..63] + "y"));
        Assert.Null(CommandIds.DescribeUpdateIdProblem(id, 10));
        var rollback = RolloutIds.RollbackIdFor("rollout-with-24-chars-xx", device);
        Assert.Null(CommandIds.DescribeUpdateIdProblem(rollback, 10));
        Assert.Equal("r1-d00", RolloutIds.UpdateIdFor("r1", "d00"));
        Assert.Equal("r1-rb-d00", RolloutIds.RollbackIdFor("r1", "d00"));
    }

    [Fact]
    public void Devices_are_listed_by_wave_in_commanding_order_a_page_at_a_time()
    {
        var run = new RolloutRun().Started(Start(Policy(), Waves(2, 3, 3)));
        run.Conclude("d01", UpdateOutcome.Failed);
        var all = RolloutViews.Devices(run.State, new GetRolloutDevices(RolloutId));
        Assert.Equal(8, all.Total);
        Assert.Equal(Enumerable.Range(0, 8).Select(Device), all.Devices.Select(d => d.DeviceId));
        Assert.Equal(UpdateOutcome.Failed, all.Devices[1].Outcome);
        var page = RolloutViews.Devices(run.State, new GetRolloutDevices(RolloutId, Wave: 1, Skip: 1, Take: 1));
        Assert.Equal((3, "d03"), (page.Total, page.Devices.Single().DeviceId));
        Assert.Empty(RolloutViews.Devices(run.State, new GetRolloutDevices(RolloutId, Wave: 9)).Devices);
    }

    [Fact]
    public void Why_names_the_wave_and_what_a_later_wave_waits_for()
    {
        var run = new RolloutRun().Started(Start(Policy(gate: Gate(minSample: 3)), Waves(4, 4, 4)));
        var later = RolloutViews.Explain(run.State, "d05", run.Now);
        Assert.Equal((1, "wave 2", "gate"), (later.Wave, later.WaveName, later.WaitingFor));
        Assert.Contains("waiting for sample (0 of 3 finished)", later.Detail);
        Assert.Equal("device", RolloutViews.Explain(run.State, "d00", run.Now).WaitingFor);
        Assert.Null(RolloutViews.Explain(run.State, "nope", run.Now).Wave);
        var view = RolloutViews.Of(run.State, run.Now);
        Assert.Equal(4, view.Waves[0].Outcomes["Running"]);
        Assert.Equal(4, view.Waves[1].Outcomes["NotStarted"]);
        Assert.Equal("not started", view.Waves[1].GateState);
    }
}
