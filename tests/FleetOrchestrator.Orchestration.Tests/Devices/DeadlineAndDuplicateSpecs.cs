using Akka.Actor;
using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.Devices.Messages;
using FleetOrchestrator.Orchestration.Tests.Support;
using FleetOrchestrator.Protocol.Messages;
using Xunit.Abstractions;

namespace FleetOrchestrator.Orchestration.Tests.Devices;

public sealed class DeadlineAndDuplicateSpecs(ITestOutputHelper output) : SagaSpec(output)
{
    [Fact]
    public void The_state_query_is_resent_with_the_same_id_and_a_silent_device_is_lost_at_the_reach_deadline()
    {
        var check = Begin();
        Advance(Policy.ResendInterval);
        Assert.Equal(check.Id, ExpectCommand<GetState>().Id);

        Advance(Policy.ReachTimeout - Policy.ResendInterval);
        Device.ReceiveWhile(TimeSpan.FromMilliseconds(200), m => m);
        Assert.StartsWith("no state report", ExpectOutcome(UpdateOutcome.Lost).Reason);
        Advance(Policy.ResendInterval * 3);
        ExpectNoCommand();
    }

    [Fact]
    public void The_swap_is_resent_with_the_same_id_until_acknowledged_and_a_silent_device_is_lost()
    {
        var swap = ToAwaitingSwapAck();
        Advance(Policy.ResendInterval);
        Assert.Equal(swap.Id, ExpectCommand<AuthorizeSwap>().Id);
        // PROTOCOL.md §12: each further re-send of the same command waits twice as long
        Advance(Policy.ResendInterval);
        ExpectNoCommand();
        Advance(Policy.ResendInterval);
        Assert.Equal(swap.Id, ExpectCommand<AuthorizeSwap>().Id);
        Advance(Policy.SwapAckTimeout - Policy.ResendInterval * 3);
        Device.ReceiveWhile(TimeSpan.FromMilliseconds(200), m => m);
        Assert.StartsWith("swap not acknowledged", ExpectOutcome(UpdateOutcome.Lost).Reason);
    }

    [Fact]
    public void A_refused_swap_fails()
    {
        var swap = ToAwaitingSwapAck();
        Acks(swap.Id, accepted: false, reason: "no staged image");
        Assert.Equal("swap-refused: no staged image", ExpectOutcome(UpdateOutcome.Failed).Reason);
    }

    [Fact]
    public void The_commit_is_resent_with_the_same_id_and_an_unconfirmed_commit_is_lost()
    {
        var commit = ToCommitting();
        Advance(Policy.ResendInterval);
        Assert.Equal(commit.Id, ExpectCommand<CommitImage>().Id);
        Advance(Policy.CommitTimeout - Policy.ResendInterval);
        Device.ReceiveWhile(TimeSpan.FromMilliseconds(200), m => m);
        Assert.StartsWith("commit not confirmed", ExpectOutcome(UpdateOutcome.Lost).Reason);
    }

    [Fact]
    public void A_refused_commit_rolls_back()
    {
        var commit = ToCommitting();
        Acks(commit.Id, accepted: false, reason: "not on trial");
        Assert.Equal("commit-refused", ExpectCommand<RollBack>().Reason);
    }

    [Fact]
    public void Duplicate_and_stale_device_answers_are_ignored()
    {
        var swap = ToAwaitingSwapAck();
        var ack = new CommandAcknowledged(swap.Id, NextSequence(), true, null);
        FromDevice(ack);
        var afterFirst = View();
        Assert.Equal(SagaPhase.AwaitingBoot, afterFirst.Saga!.Phase);

        // The same answer again (QoS 1 duplicate), and an older one: nothing persisted, nothing sent.
        FromDevice(ack);
        FromDevice(new DeviceBooted(null, ack.Sequence - 1, Fleet.Old, BankId.Bank1, ImageState.Committed, ResetCause.PowerOn, 0));
        Assert.Equal(afterFirst.EventCount, View().EventCount);
        Assert.Equal(SagaPhase.AwaitingBoot, Phase());
        ExpectNoCommand();
    }

    [Fact]
    public void An_answer_with_another_commands_id_is_ignored()
    {
        var download = ToDownloading();
        Acks("some-other-command");
        FromDevice(new ImageStaged("upd-0-dl1", NextSequence(), Fleet.New, 90_000, Fleet.NewCrc));
        ExpectNoCommand();
        Assert.Equal(SagaPhase.Downloading, Phase());
        FromDevice(new ImageStaged(download.Id, NextSequence(), Fleet.New, 90_000, Fleet.NewCrc));
        ExpectCommand<AuthorizeSwap>();
    }

    [Fact]
    public void A_superseded_deadline_does_not_fire()
    {
        // The download deadline was armed at DownloadCommanded; staging moved the saga on, so the old timer is stale.
        Policy = Fleet.Policy() with { HealthWindow = TimeSpan.FromMinutes(40) };
        var download = ToDownloading();
        FromDevice(new ImageStaged(download.Id, NextSequence(), Fleet.New, 90_000, Fleet.NewCrc));
        var swap = ExpectCommand<AuthorizeSwap>();
        Acks(swap.Id);
        Boots(Fleet.New, BankId.Bank2);
        Advance(Policy.DownloadAttemptTimeout + TimeSpan.FromMinutes(1)); // past the old download, swap and boot deadlines
        Assert.Equal(SagaPhase.HealthWindow, Phase());
        ExpectNoCommand();
    }

    [Fact]
    public void Presence_and_state_are_persisted_only_when_they_change()
    {
        StartActor();
        Saga.Tell(new DevicePresenceReceived(DeviceId, true));
        Saga.Tell(new DevicePresenceReceived(DeviceId, true));
        Saga.Tell(new DeviceStateReceived(DeviceId, Fleet.Report()));
        Saga.Tell(new DeviceStateReceived(DeviceId, Fleet.Report()));
        Reports(Fleet.Report());
        var view = View();
        Assert.Equal(2, view.EventCount);
        Assert.True(view.Online);
        Assert.Equal(Fleet.Old, view.Running!.Version);
        Assert.Null(view.Saga);

        Saga.Tell(new DevicePresenceReceived(DeviceId, false));
        Boots(Fleet.Old, BankId.Bank1, ImageState.Committed, ResetCause.PowerOn, 0);
        view = View();
        Assert.Equal(4, view.EventCount);
        Assert.False(view.Online);
    }
}
