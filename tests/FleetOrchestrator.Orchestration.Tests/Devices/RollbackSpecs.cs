using Akka.Actor;
using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.Devices.Messages;
using FleetOrchestrator.Orchestration.Tests.Support;
using FleetOrchestrator.Protocol.Messages;
using Xunit.Abstractions;

namespace FleetOrchestrator.Orchestration.Tests.Devices;

public sealed class RollbackSpecs(ITestOutputHelper output) : SagaSpec(output)
{
    [Fact]
    public void A_crash_loop_in_the_health_window_commands_a_rollback()
    {
        ToHealthWindow();
        Boots(Fleet.New, BankId.Bank2, cause: ResetCause.IndependentWatchdog, trialBoots: 2);
        var rollback = ExpectCommand<RollBack>();
        Assert.Equal($"{UpdateId}-rollback", rollback.Id);
        Assert.Equal("crash-loop", rollback.Reason);
        Assert.Equal(SagaPhase.RollingBack, Phase());

        FromDevice(new RolledBackOnDevice(rollback.Id, NextSequence(), Fleet.Old, "commanded"));
        var outcome = ExpectOutcome(UpdateOutcome.RolledBack);
        Assert.StartsWith("crash-loop:", outcome.Reason);
        Assert.Equal(new RunningImage(Fleet.Old, BankId.Bank1, ImageState.Committed), View().Running);
    }

    [Fact]
    public void A_health_failure_commands_a_rollback()
    {
        ToHealthWindow();
        FromDevice(new HealthReported(null, NextSequence(), false, "sensor bus dead"));
        Assert.Equal("health", ExpectCommand<RollBack>().Reason); // the wire carries the reason token
        Boots(Fleet.Old, BankId.Bank1, ImageState.Committed, ResetCause.OptionByteLoad, 0);
        Assert.Equal("health: sensor bus dead", ExpectOutcome(UpdateOutcome.RolledBack).Reason);
    }

    [Fact]
    public void A_silent_revert_in_the_health_window_is_a_rollback_without_a_command()
    {
        ToHealthWindow();
        Boots(Fleet.Old, BankId.Bank1, ImageState.Committed, ResetCause.IndependentWatchdog, 0);
        Assert.StartsWith("silent-revert:", ExpectOutcome(UpdateOutcome.RolledBack).Reason);
        ExpectNoCommand();
    }

    [Fact]
    public void A_state_report_of_the_old_version_while_committing_is_a_silent_revert()
    {
        ToCommitting();
        Reports(Fleet.Report());
        Assert.StartsWith("silent-revert:", ExpectOutcome(UpdateOutcome.RolledBack).Reason);
    }

    [Fact]
    public void The_boot_guard_reverting_before_the_new_image_reports_is_a_silent_revert()
    {
        ToAwaitingBoot();
        FromDevice(new RolledBackOnDevice(null, NextSequence(), Fleet.Old, "boot-guard"));
        Assert.Contains("boot-guard", ExpectOutcome(UpdateOutcome.RolledBack).Reason);
    }

    [Fact]
    public void A_boot_deadline_waits_for_the_boot_guard_and_completes_when_the_old_image_reports()
    {
        ToAwaitingBoot();
        Advance(Policy.BootTimeout - TimeSpan.FromSeconds(1));
        ExpectOnlyResendsOf(CommandIds.BootStateCheck(UpdateId)); // unanswered: the device is resetting over and over
        Advance(TimeSpan.FromSeconds(1));
        // No RollBack (the new image never reported running): ask what runs instead.
        Assert.Equal($"{UpdateId}-rb-state", ExpectCommand<GetState>().Id);
        Assert.Equal(SagaPhase.RollingBack, Phase());
        Assert.Equal("RollbackAwaitingBootGuard", View().Saga!.History[^1].Fact);

        Boots(Fleet.Old, BankId.Bank1, ImageState.Committed, ResetCause.IndependentWatchdog, 0);
        Assert.StartsWith("boot-deadline:", ExpectOutcome(UpdateOutcome.RolledBack).Reason);
    }

    [Fact]
    public void A_new_image_that_shows_up_while_waiting_for_the_boot_guard_is_rolled_back_by_command()
    {
        ToAwaitingBoot();
        Advance(Policy.BootTimeout);
        ExpectCommandAfterResends<GetState>($"{UpdateId}-rb-state");
        Boots(Fleet.New, BankId.Bank2);
        Assert.Equal("boot-deadline", ExpectCommand<RollBack>().Reason);
        FromDevice(new RolledBackOnDevice($"{UpdateId}-rollback", NextSequence(), Fleet.Old, "commanded"));
        ExpectOutcome(UpdateOutcome.RolledBack);
    }

    [Fact]
    public void An_inconsistent_boot_is_rolled_back()
    {
        ToAwaitingBoot();
        Boots(Fleet.New, BankId.Bank1); // same bank as before the swap: not what a BFB2 swap produces
        Assert.Equal("boot-inconsistent", ExpectCommand<RollBack>().Reason);
    }

    [Fact]
    public void Operator_rollback_in_the_health_window_commands_a_rollback()
    {
        ToHealthWindow();
        Saga.Tell(new CancelUpdate(DeviceId, UpdateId, "bad batch"), TestActor);
        Assert.True(ExpectMsg<SagaRequestReply>().Accepted);
        Assert.Equal("operator", ExpectCommand<RollBack>().Reason);
        FromDevice(new RolledBackOnDevice($"{UpdateId}-rollback", NextSequence(), Fleet.Old, "commanded"));
        Assert.Equal("operator: bad batch", ExpectOutcome(UpdateOutcome.RolledBack).Reason);
    }

    [Fact]
    public void A_commit_that_wins_the_race_with_a_cancel_concludes_Updated_instead_of_waiting_for_a_rollback()
    {
        // The rollout halted while the commit was on its way: the device commits first, then refuses the RollBack.
        var commit = ToCommitting();
        Saga.Tell(new CancelUpdate(DeviceId, UpdateId, "rollout rolling back"), TestActor);
        Assert.True(ExpectMsg<SagaRequestReply>().Accepted);
        var rollback = ExpectCommand<RollBack>();
        FromDevice(new ImageCommitted(commit.Id, NextSequence(), Fleet.New));
        FromDevice(new CommandAcknowledged(rollback.Id, NextSequence(), false, ErrorReasons.NoPreviousImage));
        ExpectOutcome(UpdateOutcome.Updated);
        Assert.Equal(new RunningImage(Fleet.New, BankId.Bank2, ImageState.Committed), View().Running);
    }

    [Fact]
    public void A_committed_target_in_a_state_report_while_rolling_back_concludes_Updated()
    {
        ToCommitting();
        Saga.Tell(new CancelUpdate(DeviceId, UpdateId, "rollout rolling back"), TestActor);
        Assert.True(ExpectMsg<SagaRequestReply>().Accepted);
        ExpectCommand<RollBack>();
        Reports(Fleet.Report(running: Fleet.New, bank: BankId.Bank2, image: ImageState.Committed));
        ExpectOutcome(UpdateOutcome.Updated);
    }

    [Fact]
    public void Operator_cancel_before_the_swap_cancels_and_erases_the_staged_bank()
    {
        ToDownloading();
        Saga.Tell(new CancelUpdate(DeviceId, UpdateId, "wrong image"), TestActor);
        Assert.True(ExpectMsg<SagaRequestReply>().Accepted);
        Assert.Equal($"{UpdateId}-cancel-erase", ExpectCommand<EraseStaged>().Id);
        Assert.Equal("operator: wrong image", ExpectOutcome(UpdateOutcome.Cancelled).Reason);
    }

    [Fact]
    public void Cancel_of_a_finished_or_unknown_update_is_refused()
    {
        var check = Begin();
        Saga.Tell(new CancelUpdate(DeviceId, "other", "x"), TestActor);
        Assert.False(ExpectMsg<SagaRequestReply>().Accepted);
        Reports(Fleet.Report(running: Fleet.New), check.Id);
        ExpectOutcome(UpdateOutcome.UpToDate);
        Saga.Tell(new CancelUpdate(DeviceId, UpdateId, "x"), TestActor);
        Assert.False(ExpectMsg<SagaRequestReply>().Accepted);
    }

    [Fact]
    public void An_unreachable_device_during_rollback_becomes_RollbackPending_is_surfaced_and_keeps_being_asked()
    {
        ToHealthWindow();
        FromDevice(new HealthReported(null, NextSequence(), false, "watchdog"));
        var rollback = ExpectCommand<RollBack>();

        // Re-sent with the same id while waiting.
        Advance(Policy.ResendInterval);
        Assert.Equal(rollback.Id, ExpectCommand<RollBack>().Id);

        Advance(Policy.RollbackTimeout - Policy.ResendInterval);
        Device.ReceiveWhile(TimeSpan.FromMilliseconds(200), m => m); // re-sends that fell due meanwhile
        Assert.Equal(SagaPhase.RollbackPending, Phase());
        var attention = Outcomes.ExpectMsg<SagaNeedsAttention>();
        Assert.Contains("rollback pending", attention.Reason);
        Outcomes.ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        // Not terminal: it keeps asking, and completes when the device finally answers.
        Advance(Policy.ResendInterval);
        Assert.Equal(rollback.Id, ExpectCommand<RollBack>().Id);
        Advance(TimeSpan.FromDays(3));
        Assert.Equal(SagaPhase.RollbackPending, Phase());
        Device.ReceiveWhile(TimeSpan.FromMilliseconds(300), m => m);

        FromDevice(new RolledBackOnDevice(rollback.Id, NextSequence(), Fleet.Old, "commanded"));
        Assert.Equal("health: watchdog", ExpectOutcome(UpdateOutcome.RolledBack).Reason);
    }
}
