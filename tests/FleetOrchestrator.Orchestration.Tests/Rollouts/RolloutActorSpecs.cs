using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.Devices.Messages;
using FleetOrchestrator.Orchestration.Rollouts;
using FleetOrchestrator.Orchestration.Rollouts.Messages;
using FleetOrchestrator.Orchestration.Rollouts.Planning;
using FleetOrchestrator.Orchestration.Rollouts.Policy;
using FleetOrchestrator.Orchestration.Tests.Support;
using Xunit.Abstractions;
using static FleetOrchestrator.Orchestration.Tests.Support.RolloutFixtures;

namespace FleetOrchestrator.Orchestration.Tests.Rollouts;

/// <summary>
/// The rollout actor: effects after persisting, replies, timers, re-sends; and recovery from the journal in the middle
/// of each state (stop the actor, restart it): the same state, nothing commanded twice beyond the idempotent re-send
/// of what is outstanding, and the persisted deadlines re-armed.
/// </summary>
public sealed class RolloutActorSpecs(ITestOutputHelper output) : RolloutSpec(output)
{
    private void Begin(RolloutPolicy? policy = null, int[]? sizes = null)
    {
        StartActor();
        var reply = Ask(Start(policy ?? Policy(gate: Gate(minSample: 2)), Waves(sizes ?? [3, 4, 4])));
        Assert.True(reply.Accepted, reply.Reason);
    }

    [Fact]
    public void A_started_rollout_commands_its_canary_and_the_next_wave_after_the_soak()
    {
        Begin();
        var starts = ExpectStarts(3);
        Assert.Equal(["d00", "d01", "d02"], starts.Select(s => s.DeviceId));
        Assert.All(starts, s =>
            Assert.Equal((RolloutId, "fw-1.1.0", $"r1-{s.DeviceId}"), (s.RolloutId, s.Target.ArtifactId, s.UpdateId)));
        ExpectNothingCommanded();
        var canary = Ask<RolloutDevicesPage>(new GetRolloutDevices(RolloutId, Wave: 0));
        Assert.All(canary.Devices, d => Assert.Equal(RolloutDeviceStep.Commanded, d.Step));
        foreach (var id in new[] { "d00", "d01", "d02" }) Conclude(id, UpdateOutcome.Updated);
        Assert.Equal(WavePhase.Soaking, View().Waves[0].Phase);

        Advance(Soak - TimeSpan.FromSeconds(1));
        ExpectNothingCommanded();
        Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(["d03", "d04", "d05", "d06"], ExpectStarts(4).Select(s => s.DeviceId));
        Assert.Equal(WavePhase.Passed, View().Waves[0].Phase);
    }

    [Fact]
    public void Restarted_mid_wave_it_re_sends_only_the_starts_still_running_with_the_same_update_ids()
    {
        Begin();
        ExpectStarts(3);
        Conclude("d00", UpdateOutcome.Updated);
        var before = View();
        StopActor();

        StartActor();
        var resent = ExpectStarts(2);
        Assert.Equal(["r1-d01", "r1-d02"], resent.Select(s => s.UpdateId));
        ExpectNothingCommanded();
        var after = View();
        Assert.Equal(before.Status, after.Status);
        Assert.Equal(before.Waves.Select(w => (w.Phase, w.Devices, w.GateState)),
            after.Waves.Select(w => (w.Phase, w.Devices, w.GateState)));
        Assert.Equal(before.Waves[0].Outcomes, after.Waves[0].Outcomes);
        // The repeat of a conclusion the rollout already recorded changes nothing.
        Conclude("d00", UpdateOutcome.Updated);
        Assert.Equal(1, after.Waves[0].Outcomes["Updated"]);
        Assert.Equal(1, View().Waves[0].Outcomes["Updated"]);
    }

    [Fact]
    public void Restarted_while_soaking_it_keeps_the_persisted_soak_end()
    {
        Begin();
        ExpectStarts(3);
        foreach (var id in new[] { "d00", "d01", "d02" }) Conclude(id, UpdateOutcome.Updated);
        var soakUntil = View().Waves[0].SoakUntil;
        StopActor();
        Clock.Advance(Soak - TimeSpan.FromMinutes(1)); // most of the soak passes while the orchestrator is down

        StartActor();
        Assert.Equal(soakUntil, View().Waves[0].SoakUntil);
        ExpectNothingCommanded();
        Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(4, ExpectStarts(4).Count);
    }

    [Fact]
    public void A_soak_that_ended_while_the_orchestrator_was_down_ends_right_after_recovery()
    {
        Begin();
        ExpectStarts(3);
        foreach (var id in new[] { "d00", "d01", "d02" }) Conclude(id, UpdateOutcome.Updated);
        StopActor();
        Clock.Advance(Soak + TimeSpan.FromHours(1));
        StartActor();
        View();
        Advance(TimeSpan.Zero);
        Assert.Equal(4, ExpectStarts(4).Count);
    }

    [Fact]
    public void Restarted_while_paused_halted_or_awaiting_approval_it_commands_nothing_new()
    {
        Begin(Policy(gate: Gate(minSample: 2, approval: ApprovalMode.Manual, soak: TimeSpan.Zero)));
        ExpectStarts(3);
        foreach (var id in new[] { "d00", "d01", "d02" }) Conclude(id, UpdateOutcome.Updated);
        Assert.Equal(WavePhase.AwaitingApproval, View().Waves[0].Phase);
        StopActor();
        StartActor();
        ExpectNothingCommanded();
        Assert.Equal(WavePhase.AwaitingApproval, View().Waves[0].Phase);

        Assert.True(Ask(new ApproveWave(RolloutId, Ops)).Accepted);
        ExpectStarts(4);
        Assert.True(Ask(new PauseRollout(RolloutId, Ops)).Accepted);
        StopActor();
        StartActor();
        Assert.Equal(4, ExpectStarts(4).Count); // the running sagas' starts, idempotent
        ExpectNothingCommanded();
        Assert.Equal(RolloutStatus.Paused, View().Status);
        Assert.Equal(["start", "approve", "pause"], View().Audit.Select(a => a.Action));
    }

    [Fact]
    public void Restarted_while_rolling_back_it_re_sends_the_rollback_starts_towards_the_previous_image()
    {
        Begin(Policy(gate: Gate(minSample: 2, failures: 0.2), onHalt: HaltAction.RollbackWave));
        ExpectStarts(3);
        Conclude("d00", UpdateOutcome.Updated);
        Conclude("d01", UpdateOutcome.Failed);
        var cancel = Devices.ExpectMsg<CancelUpdate>();
        Assert.Equal("d02", cancel.DeviceId);
        var rollback = Devices.ExpectMsg<StartUpdate>();
        Assert.Equal(("d00", "r1-rb-d00", "fw-1.0.0", true),
            (rollback.DeviceId, rollback.UpdateId, rollback.Target.ArtifactId, rollback.Target.AllowDowngrade));
        Assert.Equal(RolloutStatus.RollingBack, View().Status);
        StopActor();

        StartActor();
        var again = new[] { Devices.ExpectMsg<object>(), Devices.ExpectMsg<object>() };
        Assert.Contains(again, m => m is StartUpdate { UpdateId: "r1-rb-d00" });
        Assert.Contains(again, m => m is CancelUpdate { DeviceId: "d02" });
        ExpectNothingCommanded();

        Conclude("d02", UpdateOutcome.Cancelled);
        Conclude("d00", UpdateOutcome.Updated, "r1-rb-d00");
        Assert.Equal(RolloutStatus.RolledBack, View().Status);
    }

    [Fact]
    public void Restarted_while_halted_it_stays_halted_and_re_sends_only_the_running_starts()
    {
        Begin(Policy(gate: Gate(minSample: 2, failures: 0.2)));
        ExpectStarts(3);
        Conclude("d00", UpdateOutcome.Failed);
        Conclude("d01", UpdateOutcome.Updated);
        Assert.Equal(RolloutStatus.Halted, View().Status);
        ExpectNothingCommanded();
        StopActor();
        StartActor();
        Assert.Equal(["d02"], ExpectStarts(1).Select(s => s.DeviceId));
        ExpectNothingCommanded();
        var view = View();
        Assert.Equal((RolloutStatus.Halted, WavePhase.Halted), (view.Status, view.Waves[0].Phase));
        Assert.StartsWith("failure share 1/2", view.HaltReason);
    }

    [Fact]
    public void Restarted_while_staging_it_re_sends_the_download_only_starts_and_activates_after_the_operator()
    {
        Begin(Policy(waves: 2, downloadOnly: true, maxInFlight: 2), [2, 2]);
        var starts = ExpectStarts(4);
        Assert.All(starts, s => Assert.False(s.Policy.ActivateAutomatically));
        StopActor();
        StartActor();
        Assert.Equal(4, ExpectStarts(4).Count);
        ExpectNothingCommanded();
        Assert.Equal(RolloutStatus.Staging, View().Status);

        Assert.True(Ask(new ActivateRollout(RolloutId, Ops)).Accepted);
        var activations = new[] { Devices.ExpectMsg<ActivateUpdate>(), Devices.ExpectMsg<ActivateUpdate>() };
        Assert.Equal(["d00", "d01"], activations.Select(a => a.DeviceId));
        ExpectNothingCommanded();
    }

    [Fact]
    public void Restarted_after_completion_it_commands_nothing()
    {
        Begin(Policy(waves: 2, gate: Gate(minSample: 1, soak: TimeSpan.Zero)), [1, 1]);
        ExpectStarts(1);
        Conclude("d00", UpdateOutcome.Updated);
        ExpectStarts(1);
        Conclude("d01", UpdateOutcome.Updated);
        Assert.Equal(RolloutStatus.Completed, View().Status);
        StopActor();
        StartActor();
        ExpectNothingCommanded();
        Assert.Equal(RolloutStatus.Completed, View().Status);
    }

    [Fact]
    public void A_cancelled_rollout_re_sends_its_cancels_after_a_restart()
    {
        Begin();
        ExpectStarts(3);
        Assert.True(Ask(new CancelRollout(RolloutId, Ops)).Accepted);
        Assert.Equal(3, Devices.ReceiveN(3).OfType<CancelUpdate>().Count());
        StopActor();
        StartActor();
        Assert.Equal(3, Devices.ReceiveN(3).OfType<CancelUpdate>().Count());
        ExpectNothingCommanded();
    }

    [Fact]
    public void Each_saga_gets_the_maintenance_window_in_its_devices_time_zone_and_why_says_when_it_opens()
    {
        StartActor();
        var now = TimeOnly.FromDateTime(Clock.Now.UtcDateTime);
        var closed = new MaintenanceWindow(now.AddHours(2), now.AddHours(3));
        var zones = new Dictionary<string, string> { ["d00"] = "+00:00", ["d01"] = "Europe/Berlin" };
        var start = Start(Policy(window: closed, gate: Gate(minSample: 2)), Waves(3, 4, 4)) with { TimeZones = zones };
        Assert.True(Ask(start).Accepted);

        var starts = ExpectStarts(3).ToDictionary(s => s.DeviceId);
        Assert.Equal(new SwapWindow(closed.LocalStart, closed.LocalEnd, "+00:00"), starts["d00"].Policy.SwapWindow);
        Assert.Equal("Europe/Berlin", starts["d01"].Policy.SwapWindow!.TimeZone);
        Assert.Null(starts["d02"].Policy.SwapWindow!.TimeZone); // no timezone tag: UTC
        var why = Ask<DeviceExplanation>(new WhyDevice(RolloutId, "d00"));
        Assert.Equal("window", why.WaitingFor);
        Assert.Contains("opens at", why.Detail);
        StopActor();

        StartActor(); // the zones are in the journal: the re-sent starts carry the same windows
        Assert.Equal("+00:00", ExpectStarts(3).Single(s => s.DeviceId == "d00").Policy.SwapWindow!.TimeZone);
    }

    [Fact]
    public void Devices_that_match_the_target_later_join_at_the_next_check_and_the_others_stay_out()
    {
        var fleet = new List<PlanCandidate> { PlanCandidates.Device("d00") };
        Candidates = () => fleet.ToList();
        Begin();
        ExpectStarts(3);
        fleet.AddRange([
            PlanCandidates.Device("new-1", timeZone: "Europe/Berlin"),
            PlanCandidates.Device("ghost", rom: null), // provisioned, never reported: joins once it has
            PlanCandidates.Device("other", phase: SagaPhase.Downloading, rolloutId: "r2"),
            PlanCandidates.Device("done", running: Fleet.New),
        ]);

        Advance(JoinCheck - TimeSpan.FromSeconds(1));
        ExpectNothingCommanded();
        Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(["new-1"], ExpectStarts(1).Select(s => s.DeviceId));
        ExpectNothingCommanded();
        Assert.Equal(0, Ask<DeviceExplanation>(new WhyDevice(RolloutId, "new-1")).Wave);
        Assert.Equal("not a device of this rollout", Ask<DeviceExplanation>(new WhyDevice(RolloutId, "ghost")).Detail);

        fleet[fleet.FindIndex(c => c.Row.DeviceId == "ghost")] = PlanCandidates.Device("ghost");
        Advance(JoinCheck);
        Assert.Equal(["ghost"], ExpectStarts(1).Select(s => s.DeviceId));
        Advance(JoinCheck); // nothing new: nothing joins twice
        ExpectNothingCommanded();
    }

    [Fact]
    public void An_unanswered_start_is_re_sent_and_a_refused_one_skips_the_device()
    {
        Begin();
        var starts = ExpectStarts(3, answer: false);
        Devices.Send(Rollout, new SagaRequestReply("d00", "r1-d00", true, "already started", SagaPhase.Downloading));
        Devices.Send(Rollout,
            new SagaRequestReply("d01", "r1-d01", false, "busy: update x is in Downloading", SagaPhase.Downloading));
        View();
        Advance(Resend);
        Assert.Equal("r1-d02", Devices.ExpectMsg<StartUpdate>().UpdateId);
        ExpectNothingCommanded();
        var why = Ask<DeviceExplanation>(new WhyDevice(RolloutId, "d01"));
        Assert.Equal(RolloutDeviceStep.Finished, why.Step);
        Assert.Contains("busy", why.Detail);
        Assert.Equal(3, starts.Count);
    }

    [Fact]
    public void The_rate_limit_slot_is_re_armed_after_a_restart()
    {
        Begin(Policy(devicesPerMinute: 1));
        ExpectStarts(1);
        StopActor();
        Clock.Advance(TimeSpan.FromSeconds(40));
        StartActor();
        Assert.Equal("d00", ExpectStarts(1)[0].DeviceId); // the running one, idempotent
        ExpectNothingCommanded();
        Advance(TimeSpan.FromSeconds(20));
        Assert.Equal("d01", ExpectStarts(1)[0].DeviceId);
    }

    [Fact]
    public void A_query_about_an_unknown_rollout_says_so_and_starts_nothing()
    {
        StartActor();
        Assert.Equal(RolloutStatus.None, View().Status);
        Assert.False(Ask(new PauseRollout(RolloutId, Ops)).Accepted);
        ExpectNothingCommanded();
    }

    private T Ask<T>(object query)
    {
        Rollout.Tell(query, TestActor);
        return ExpectMsg<T>();
    }
}
