using Akka.Actor;
using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.Devices.Messages;
using FleetOrchestrator.Orchestration.Tests.Support;
using FleetOrchestrator.Protocol.Messages;
using Xunit.Abstractions;

namespace FleetOrchestrator.Orchestration.Tests.Devices;

public sealed class UpdateSagaHappyPathSpecs(ITestOutputHelper output) : SagaSpec(output)
{
    [Fact]
    public void Update_runs_every_step_and_succeeds_only_when_the_commit_is_confirmed()
    {
        StartActor();
        var reply = StartUpdate();
        Assert.True(reply.Accepted);
        Assert.Equal(SagaPhase.CheckingVersion, reply.Phase);

        var check = ExpectCommand<GetState>();
        Assert.Equal($"{UpdateId}-check", check.Id);
        Reports(Fleet.Report(), check.Id);

        var download = ExpectCommand<StartDownload>();
        Assert.Equal($"{UpdateId}-dl1", download.Id);
        Assert.Equal(0, download.ResumeOffset);
        Assert.Equal(Fleet.Target().Url, download.Url);
        Assert.Equal(Fleet.Target().Manifest, download.Manifest);
        Assert.Equal(SagaPhase.Downloading, Phase());

        Acks(download.Id);
        FromDevice(new DownloadProgress(download.Id, NextSequence(), 45_000, 90_000));
        Assert.Equal(45_000, View().Saga!.DownloadedBytes);
        FromDevice(new ImageStaged(download.Id, NextSequence(), Fleet.New, 90_000, Fleet.NewCrc));

        var swap = ExpectCommand<AuthorizeSwap>();
        Assert.Equal(Fleet.New, swap.Version);
        Assert.Equal(Fleet.NewCrc, swap.ExpectedCrc);
        Assert.Equal(SagaPhase.AwaitingSwapAck, Phase());
        Acks(swap.Id);
        Assert.Equal(SagaPhase.AwaitingBoot, Phase());

        Boots(Fleet.New, BankId.Bank2);
        var view = View();
        Assert.Equal(SagaPhase.HealthWindow, view.Saga!.Phase);
        Assert.Equal(new RunningImage(Fleet.New, BankId.Bank2, ImageState.Trial), view.Running);

        // Healthy reports during the window change nothing; the commit waits for the end of the window.
        FromDevice(new HealthReported(null, NextSequence(), true, null));
        Advance(Policy.HealthWindow - TimeSpan.FromSeconds(1));
        ExpectNoCommand();
        Advance(TimeSpan.FromSeconds(1));
        var commit = ExpectCommand<CommitImage>();
        Assert.Equal(Fleet.New, commit.Version);
        Assert.Equal(SagaPhase.Committing, Phase());
        Outcomes.ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        FromDevice(new ImageCommitted(commit.Id, NextSequence(), Fleet.New));
        var outcome = ExpectOutcome(UpdateOutcome.Updated);
        Assert.Null(outcome.RolloutId);

        view = View();
        Assert.Equal(new RunningImage(Fleet.New, BankId.Bank2, ImageState.Committed), view.Running);
        Assert.Equal(
            ["UpdateRequested", "PreflightPassed", "DownloadCommanded", "DownloadAccepted", "StagedCrcVerified", "SwapAuthorized",
             "SwapAcknowledged", "BootConfirmed", "HealthPassed", "CommitCommanded", "UpdateSucceeded"],
            view.Saga!.History.Select(t => t.Fact));
        Assert.Equal(SagaPhase.Completed, view.Saga.History[^1].Phase);
        Assert.True(view.Saga.History.Zip(view.Saga.History.Skip(1)).All(p => p.Item1.At <= p.Item2.At));
        Assert.Null(view.Saga.Deadline);
    }

    [Fact]
    public void State_reports_during_the_saga_are_not_journaled_and_the_first_one_after_it_is()
    {
        var commit = ToCommitting();
        var before = View();
        var trialReport = Fleet.Report(Fleet.New, BankId.Bank2, ImageState.Trial);

        // The device reports after each step; the saga's own events already hold what it acts on.
        Reports(trialReport);
        var during = View();
        Assert.Equal(before.EventCount, during.EventCount);
        Assert.Equal(trialReport, during.LastReport);   // shown, from memory (LatestReportSpecs), not journaled
        Assert.Equal(SagaPhase.Committing, during.Saga!.Phase);

        FromDevice(new ImageCommitted(commit.Id, NextSequence(), Fleet.New));
        ExpectOutcome(UpdateOutcome.Updated);
        var committedReport = Fleet.Report(Fleet.New, BankId.Bank2, ImageState.Committed);
        Reports(committedReport);

        var after = View();
        Assert.Equal(committedReport, after.LastReport);
        Assert.Equal(during.EventCount + 2, after.EventCount);   // UpdateSucceeded, then the report
    }

    [Fact]
    public void Start_is_idempotent_for_the_same_update_and_refused_for_another_while_running()
    {
        StartActor();
        Assert.True(StartUpdate().Accepted);
        ExpectCommand<GetState>();

        var again = StartUpdate();
        Assert.True(again.Accepted);
        Assert.Equal("already started", again.Reason);
        ExpectNoCommand();

        var other = StartUpdate("upd-8");
        Assert.False(other.Accepted);
        Assert.Contains("busy", other.Reason);
        Assert.Equal(UpdateId, View().Saga!.UpdateId);
    }

    [Fact]
    public void A_finished_update_is_not_restarted_by_its_id_but_a_new_update_starts()
    {
        var check = Begin();
        Reports(Fleet.Report(running: Fleet.New), check.Id);
        ExpectOutcome(UpdateOutcome.UpToDate);

        Assert.True(StartUpdate().Accepted);
        ExpectNoCommand();
        Assert.Equal(SagaPhase.Completed, Phase());

        Assert.True(StartUpdate("upd-9").Accepted);
        Assert.Equal("upd-9-check", ExpectCommand<GetState>().Id);
        Assert.Equal(SagaPhase.CheckingVersion, Phase());
    }

    [Fact]
    public void The_retained_state_answers_the_version_check()
    {
        Begin();
        Saga.Tell(new DeviceStateReceived(DeviceId, Fleet.Report()));
        ExpectCommand<StartDownload>();
        Assert.Equal(SagaPhase.Downloading, Phase());
    }

    [Fact]
    public void Download_only_waits_staged_until_activated()
    {
        Policy = Fleet.Policy(activateAutomatically: false);
        var download = ToDownloading();
        FromDevice(new ImageStaged(download.Id, NextSequence(), Fleet.New, 90_000, Fleet.NewCrc));
        Assert.Equal(SagaPhase.Staged, Phase());
        Advance(TimeSpan.FromHours(5));
        ExpectNoCommand();

        Saga.Tell(new ActivateUpdate(DeviceId, "wrong-update"), TestActor);
        Assert.False(ExpectMsg<SagaRequestReply>().Accepted);
        Saga.Tell(new ActivateUpdate(DeviceId, UpdateId), TestActor);
        Assert.True(ExpectMsg<SagaRequestReply>().Accepted);
        Assert.Equal($"{UpdateId}-swap", ExpectCommand<AuthorizeSwap>().Id);
        Assert.Equal(SagaPhase.AwaitingSwapAck, Phase());
    }

    [Fact]
    public void Commit_is_also_confirmed_by_a_committed_state_report()
    {
        ToCommitting();
        Reports(Fleet.Report(running: Fleet.New, bank: BankId.Bank2, image: ImageState.Committed));
        ExpectOutcome(UpdateOutcome.Updated);
    }

    [Fact]
    public void A_lost_swap_ack_is_settled_by_the_boot_report()
    {
        ToAwaitingSwapAck();
        Boots(Fleet.New, BankId.Bank2);
        Assert.Equal(SagaPhase.HealthWindow, Phase());
    }

    [Fact]
    public void Rollout_id_is_carried_to_the_outcome()
    {
        StartActor();
        Saga.Tell(new StartUpdate(DeviceId, UpdateId, Fleet.Target(), Policy, "rollout-3"), TestActor);
        ExpectMsg<SagaRequestReply>();
        var check = ExpectCommand<GetState>();
        Reports(Fleet.Report(running: Fleet.New), check.Id);
        Assert.Equal("rollout-3", Outcomes.ExpectMsg<SagaOutcome>().RolloutId);
    }
}
