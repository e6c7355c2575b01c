using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.Devices.Messages;
using FleetOrchestrator.Orchestration.Tests.Support;
using FleetOrchestrator.Protocol.Messages;
using Xunit.Abstractions;

namespace FleetOrchestrator.Orchestration.Tests.Devices;

/// <summary>A device that leaves the committed version after its saga ended Updated is a fact of its own.</summary>
public sealed class RevertAfterCommitSpecs(ITestOutputHelper output) : SagaSpec(output)
{
    private void ToUpdated(string? rolloutId = null)
    {
        StartActor();
        Saga.Tell(new StartUpdate(DeviceId, UpdateId, Fleet.Target(), Policy, rolloutId), TestActor);
        ExpectMsg<SagaRequestReply>();
        var check = ExpectCommand<GetState>();
        Reports(Fleet.Report(), check.Id);
        var download = ExpectCommand<StartDownload>();
        FromDevice(new ImageStaged(download.Id, NextSequence(), Fleet.New, 90_000, Fleet.NewCrc));
        Acks(ExpectCommand<AuthorizeSwap>().Id);
        Boots(Fleet.New, BankId.Bank2);
        HealthPasses();
        Advance(Policy.HealthWindow);
        FromDevice(new ImageCommitted(ExpectCommand<CommitImage>().Id, NextSequence(), Fleet.New));
        Assert.Equal(UpdateOutcome.Updated, Outcomes.ExpectMsg<SagaOutcome>().Outcome);
    }

    [Fact]
    public void The_old_version_booting_after_the_commit_is_recorded_and_published_with_the_update_and_rollout()
    {
        ToUpdated(rolloutId: "ro-3");
        Boots(Fleet.Old, BankId.Bank1, ImageState.Committed, ResetCause.Pin, 0);

        var outcome = Outcomes.ExpectMsg<SagaOutcome>();
        Assert.Equal(UpdateOutcome.RevertedAfterCommit, outcome.Outcome);
        Assert.Equal(UpdateId, outcome.UpdateId);
        Assert.Equal("ro-3", outcome.RolloutId);
        Assert.StartsWith("revert-after-commit:", outcome.Reason);
        var view = View();
        Assert.Equal(UpdateOutcome.RevertedAfterCommit, view.Saga!.Outcome);
        Assert.Equal("RevertAfterCommitObserved", view.Saga.History[^1].Fact);
        Assert.Equal(Fleet.Old, view.Running!.Version);
    }

    [Fact]
    public void A_state_report_of_another_version_after_the_commit_counts_once()
    {
        ToUpdated();
        Reports(Fleet.Report());
        Assert.Equal(UpdateOutcome.RevertedAfterCommit, Outcomes.ExpectMsg<SagaOutcome>().Outcome);
        Reports(Fleet.Report() with { LastResetCause = ResetCause.Pin });
        Outcomes.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Assert.Single(View().Saga!.History, t => t.Fact == "RevertAfterCommitObserved");
    }

    [Fact]
    public void Reports_of_the_committed_version_change_nothing()
    {
        ToUpdated();
        Reports(Fleet.Report(Fleet.New, BankId.Bank2));
        Boots(Fleet.New, BankId.Bank2, ImageState.Committed, ResetCause.PowerOn, 0);
        Outcomes.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Assert.Equal(UpdateOutcome.Updated, View().Saga!.Outcome);
    }
}
