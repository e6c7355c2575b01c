using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.Tests.Support;
using FleetOrchestrator.Protocol.Messages;
using Xunit.Abstractions;

namespace FleetOrchestrator.Orchestration.Tests.Devices;

/// <summary>
/// The orchestrator is down (or, in a cluster, a node drops the message) while the device resets into the new image:
/// its <c>booted</c>, <c>state</c> and <c>health</c> are published once and go nowhere (found by `fleet simulate
/// --faults orchestrator-restart`, where such
/// devices sat out the boot deadline and were rolled back although the new image ran fine). The recovered saga asks
/// for the device's state and settles the boot from the answer.
/// </summary>
public sealed class LostBootReportSpecs(ITestOutputHelper output) : SagaSpec(output)
{
    [Fact]
    public void A_boot_missed_while_down_is_confirmed_from_the_state_asked_after_recovery_and_the_update_completes()
    {
        ToAwaitingBoot();
        StopActor(); // the device boots 1.1.0 on trial now; nobody hears it
        StartActor();

        var check = ExpectCommand<GetState>();
        Assert.Equal(CommandIds.BootStateCheck(UpdateId), check.Id);
        // the health event was missed too; the trial's state report carries the verdict
        var trial = Fleet.Report(Fleet.New, BankId.Bank2, ImageState.Trial) with { Health = TrialHealth.Passed };
        Reports(trial, check.Id);
        Assert.Equal(SagaPhase.HealthWindow, Phase());

        Advance(Policy.HealthWindow);
        var commit = ExpectCommand<CommitImage>();
        FromDevice(new ImageCommitted(commit.Id, NextSequence(), Fleet.New));
        ExpectOutcome(UpdateOutcome.Updated);
    }

    [Fact]
    public void A_revert_missed_while_down_is_seen_in_the_state_asked_after_recovery()
    {
        ToAwaitingBoot();
        StopActor(); // the new image crash-loops, the boot guard reverts to 1.0.0; nobody hears it
        StartActor();

        var check = ExpectCommand<GetState>();
        Reports(Fleet.Report(), check.Id);
        var outcome = ExpectOutcome(UpdateOutcome.RolledBack);
        Assert.StartsWith("silent-revert", outcome.Reason);
        ExpectNoCommand();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void When_the_swap_ack_and_the_booted_were_both_lost_the_state_asked_after_recovery_confirms_the_boot(bool ackFirst)
    {
        var swap = ToAwaitingSwapAck();
        StopActor(); // the device acks, resets into 1.1.0 on trial, announces; nobody hears any of it
        StartActor();

        Assert.Equal(swap.Id, ExpectCommand<AuthorizeSwap>().Id); // re-sent: the device answers it by id or by state
        var check = ExpectCommand<GetState>();
        Assert.Equal(CommandIds.BootStateCheck(UpdateId), check.Id);
        if (ackFirst)
        {
            Acks(swap.Id);
            Assert.Equal(SagaPhase.AwaitingBoot, Phase());
        }
        Reports(Fleet.Report(Fleet.New, BankId.Bank2, ImageState.Trial), check.Id);
        Assert.Equal(SagaPhase.HealthWindow, Phase());
        if (!ackFirst)
        {
            Acks(swap.Id); // late ack: the boot is already confirmed
            Assert.Equal(SagaPhase.HealthWindow, Phase());
        }
    }

    [Fact]
    public void In_AwaitingSwapAck_a_state_that_still_shows_the_old_image_changes_nothing_and_the_swap_keeps_being_sent()
    {
        var swap = ToAwaitingSwapAck();
        StopActor();
        StartActor();
        ExpectCommand<AuthorizeSwap>();
        var check = ExpectCommand<GetState>();

        Reports(Fleet.Report(), check.Id); // the swap command had not reached the device yet
        Assert.Equal(SagaPhase.AwaitingSwapAck, Phase());
        Advance(Policy.ResendInterval);
        Assert.Equal(swap.Id, ExpectCommand<AuthorizeSwap>().Id);
    }

    [Fact]
    public void A_booted_lost_while_the_saga_keeps_running_is_settled_by_the_state_it_asks_after_the_resend_interval()
    {
        // In a cluster a booted fact can be lost with every node up: acknowledged to the broker by a node that dies
        // before routing it, or routed to a shard that is moving. The node-kill test found sagas stuck here.
        ToAwaitingBoot();
        Advance(Policy.ResendInterval);
        var check = ExpectCommand<GetState>();
        Assert.Equal(CommandIds.BootStateCheck(UpdateId), check.Id);
        Advance(Policy.ResendDelay(2));
        Assert.Equal(check.Id, ExpectCommand<GetState>().Id); // unanswered: asked again, same id, with backoff

        Reports(Fleet.Report(Fleet.New, BankId.Bank2, ImageState.Trial), check.Id);
        Assert.Equal(SagaPhase.HealthWindow, Phase());
    }

    [Fact]
    public void A_saga_asking_in_AwaitingBoot_still_takes_the_booted_fact_and_stops_asking()
    {
        ToAwaitingBoot();
        Advance(Policy.ResendInterval);
        ExpectCommand<GetState>();
        Boots(Fleet.New, BankId.Bank2);
        Assert.Equal(SagaPhase.HealthWindow, Phase());
    }
}
