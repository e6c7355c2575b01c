using Akka.Actor;
using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.Devices.Messages;
using FleetOrchestrator.Orchestration.Tests.Support;
using FleetOrchestrator.Protocol.Messages;
using Xunit.Abstractions;

namespace FleetOrchestrator.Orchestration.Tests.Devices;

/// <summary>
/// A saga that ended Lost after the swap can leave the device on an uncommitted trial image, which refuses every
/// download (<c>trial-pending</c>, PROTOCOL.md §8.2). The next saga rolls the leftover trial back first (a trial
/// nobody watched is never committed) and runs its preflight on the report that follows.
/// </summary>
public sealed class LeftoverTrialSpecs(ITestOutputHelper output) : SagaSpec(output)
{
    private static DeviceStateReport LeftoverTrial => Fleet.Report(Fleet.New, BankId.Bank2, ImageState.Trial);

    [Fact]
    public void A_new_saga_rolls_back_a_leftover_trial_then_updates()
    {
        var check = Begin();
        Reports(LeftoverTrial, check.Id);
        var rollback = ExpectCommand<RollBack>();
        Assert.Equal(CommandIds.ClearTrial(UpdateId), rollback.Id);
        Assert.Equal("leftover-trial", rollback.Reason);
        Assert.Equal(SagaPhase.ClearingTrial, Phase());

        Advance(Policy.ResendInterval); // re-sent, same id, until the device reports its committed image
        Assert.Equal(rollback.Id, ExpectCommand<RollBack>().Id);
        Boots(Fleet.Old, BankId.Bank1, ImageState.Committed, ResetCause.OptionByteLoad, 0);
        FromDevice(new RolledBackOnDevice(rollback.Id, NextSequence(), Fleet.Old, "command"));
        Assert.Equal(SagaPhase.ClearingTrial, Phase());
        Reports(Fleet.Report());
        var download = ExpectCommand<StartDownload>();
        Assert.Equal($"{UpdateId}-dl1", download.Id);
        Assert.Equal(SagaPhase.Downloading, Phase());
        Assert.Contains(View().Saga!.History, t => t.Fact == "LeftoverTrialRollbackCommanded");
    }

    [Fact]
    public void A_device_on_trial_with_the_target_is_not_up_to_date_until_its_trial_is_resolved()
    {
        var check = Begin();
        Reports(LeftoverTrial, check.Id);
        Assert.IsType<RollBack>(ExpectCommand<RollBack>());
        Outcomes.ExpectNoMsg(TimeSpan.FromMilliseconds(100)); // not UpToDate: the trial image was never committed
    }

    [Fact]
    public void A_refused_leftover_rollback_fails_and_a_silent_device_is_lost()
    {
        var check = Begin();
        Reports(LeftoverTrial, check.Id);
        var rollback = ExpectCommand<RollBack>();
        Acks(rollback.Id, accepted: false, reason: "no-previous-image");
        Assert.StartsWith("leftover-trial:", ExpectOutcome(UpdateOutcome.Failed).Reason);
    }

    [Fact]
    public void A_leftover_trial_that_never_clears_is_lost_at_the_rollback_deadline()
    {
        var check = Begin();
        Reports(LeftoverTrial, check.Id);
        ExpectCommand<RollBack>();
        Advance(Policy.RollbackTimeout);
        Device.ReceiveWhile(TimeSpan.FromMilliseconds(200), m => m);
        Assert.StartsWith("leftover trial", ExpectOutcome(UpdateOutcome.Lost).Reason);
    }

    [Fact]
    public void A_retained_trial_state_is_not_acted_on_the_answer_to_the_check_is()
    {
        var check = Begin();
        Saga.Tell(new DeviceStateReceived(DeviceId, LeftoverTrial)); // retained: may predate a commit or revert
        View();
        ExpectNoCommand();
        Assert.Equal(SagaPhase.CheckingVersion, Phase());
        Reports(Fleet.Report(), check.Id); // the device's own answer: committed 1.0.0
        Assert.Equal($"{UpdateId}-dl1", ExpectCommand<StartDownload>().Id);
    }
}
