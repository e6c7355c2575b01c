using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.Devices.Messages;
using FleetOrchestrator.Orchestration.Tests.Support;
using FleetOrchestrator.Protocol.Messages;
using Xunit.Abstractions;

namespace FleetOrchestrator.Orchestration.Tests.Devices;

/// <summary>
/// Stop the actor in the middle of each waiting phase, let virtual time pass while it is down, start it again from the
/// journal: it must be in the same phase, re-send what it waits on (same id), and fire the ORIGINAL deadline (persisted
/// as an absolute time), not a fresh one counted from the restart.
/// </summary>
public sealed class RecoverySpecs(ITestOutputHelper output) : SagaSpec(output)
{
    public static TheoryData<SagaPhase> WaitingPhases =>
    [
        SagaPhase.CheckingVersion, SagaPhase.Downloading, SagaPhase.DownloadBackoff, SagaPhase.AwaitingSwapAck, SagaPhase.AwaitingBoot,
        SagaPhase.HealthWindow, SagaPhase.Committing, SagaPhase.RollingBack,
    ];

    [Theory]
    [MemberData(nameof(WaitingPhases))]
    public void A_restarted_saga_resumes_its_phase_resends_and_fires_the_persisted_deadline(SagaPhase phase)
    {
        var (deadline, resent) = DriveTo(phase);
        var before = View();
        Assert.Equal(phase, before.Saga!.Phase);
        Assert.Equal(Clock.Now + deadline, before.Saga.Deadline);

        StopActor();
        Clock.Advance(deadline - TimeSpan.FromSeconds(30)); // most of the wait passes while the actor is down
        Device.ReceiveWhile(TimeSpan.FromMilliseconds(100), m => m);

        StartActor();
        var after = View();
        Assert.Equal(phase, after.Saga!.Phase);
        Assert.Equal(before.Saga.Deadline, after.Saga.Deadline);
        Assert.Equal(before.Saga.History, after.Saga.History);
        Assert.Equal(before.EventCount, after.EventCount);
        if (resent is not null)
            Assert.Equal(resent, Device.ExpectMsg<CommandSent>().Command.Id);
        else
            ExpectNoCommand();

        Advance(TimeSpan.FromSeconds(30));
        AssertDeadlineFired(phase);
    }

    [Fact]
    public void A_deadline_that_passed_while_the_orchestrator_was_down_fires_right_after_recovery()
    {
        ToHealthWindow();
        StopActor();
        Clock.Advance(Policy.HealthWindow + TimeSpan.FromHours(1));
        StartActor();
        View(); // recovery done, timer armed with a zero delay
        Advance(TimeSpan.Zero);
        Assert.Equal($"{UpdateId}-commit", ExpectCommand<CommitImage>().Id);
        Assert.Equal(SagaPhase.Committing, Phase());
    }

    [Fact]
    public void RollbackPending_survives_a_restart_and_keeps_asking()
    {
        ToHealthWindow();
        FromDevice(new HealthReported(null, NextSequence(), false, "x"));
        ExpectCommand<RollBack>();
        Advance(Policy.RollbackTimeout);
        Assert.Equal(SagaPhase.RollbackPending, Phase());
        StopActor();
        Device.ReceiveWhile(TimeSpan.FromMilliseconds(100), m => m);

        StartActor();
        Assert.Equal(SagaPhase.RollbackPending, Phase());
        Assert.Equal($"{UpdateId}-rollback", ExpectCommand<RollBack>().Id);
        Advance(Policy.ResendInterval);
        Assert.Equal($"{UpdateId}-rollback", ExpectCommand<RollBack>().Id);
    }

    [Fact]
    public void Stale_answers_stay_stale_after_a_restart()
    {
        var swap = ToAwaitingSwapAck();
        var ack = new CommandAcknowledged(swap.Id, NextSequence(), true, null);
        FromDevice(ack);
        StopActor();
        StartActor();
        var events = View().EventCount;
        FromDevice(ack);
        FromDevice(new DeviceBooted(null, ack.Sequence - 1, Fleet.Old, BankId.Bank1, ImageState.Committed, ResetCause.PowerOn, 0));
        Assert.Equal(events, View().EventCount);
        Assert.Equal(SagaPhase.AwaitingBoot, Phase());
    }

    [Fact]
    public void A_finished_saga_recovers_finished_and_sends_nothing()
    {
        var commit = ToCommitting();
        FromDevice(new ImageCommitted(commit.Id, NextSequence(), Fleet.New));
        ExpectOutcome(UpdateOutcome.Updated);
        StopActor();
        StartActor();
        var view = View();
        Assert.Equal(UpdateOutcome.Updated, view.Saga!.Outcome);
        Assert.Equal(new RunningImage(Fleet.New, BankId.Bank2, ImageState.Committed), view.Running);
        Advance(TimeSpan.FromDays(1));
        ExpectNoCommand();
        Outcomes.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    /// <summary>Drives the saga into <paramref name="phase"/>; returns its remaining wait and the id re-sent after recovery.</summary>
    private (TimeSpan Deadline, string? Resent) DriveTo(SagaPhase phase)
    {
        switch (phase)
        {
            case SagaPhase.CheckingVersion:
                return (Policy.ReachTimeout, Begin().Id);
            case SagaPhase.Downloading:
                return (Policy.DownloadAttemptTimeout, ToDownloading().Id);
            case SagaPhase.DownloadBackoff:
                var download = ToDownloading();
                FromDevice(new StagingFailed(download.Id, NextSequence(), "download", "reset", 1024));
                return (Policy.BackoffBefore(2), null);
            case SagaPhase.AwaitingSwapAck:
                return (Policy.SwapAckTimeout, ToAwaitingSwapAck().Id);
            case SagaPhase.AwaitingBoot:
                // nothing is outstanding, but the device's booted may have been lost while the actor was down: ask
                ToAwaitingBoot();
                return (Policy.BootTimeout, CommandIds.BootStateCheck(UpdateId));
            case SagaPhase.HealthWindow:
                // no verdict yet: a health report may have been published while the actor was down, so it asks
                ToHealthWindow(passesSelfTest: false);
                return (Policy.HealthWindow, CommandIds.HealthStateCheck(UpdateId));
            case SagaPhase.Committing:
                return (Policy.CommitTimeout, ToCommitting().Id);
            case SagaPhase.RollingBack:
                ToHealthWindow();
                FromDevice(new HealthReported(null, NextSequence(), false, "x"));
                return (Policy.RollbackTimeout, ExpectCommand<RollBack>().Id);
            default:
                throw new ArgumentOutOfRangeException(nameof(phase));
        }
    }

    private void AssertDeadlineFired(SagaPhase phase)
    {
        // periodic re-sends may have fallen due in the meantime: look only at what the deadline did
        var sent = Device.ReceiveWhile(TimeSpan.FromMilliseconds(300), m => ((CommandSent)m).Command);
        switch (phase)
        {
            case SagaPhase.CheckingVersion:
                ExpectOutcome(UpdateOutcome.Lost);
                break;
            case SagaPhase.Downloading:
                Assert.Equal(SagaPhase.DownloadBackoff, Phase());
                Assert.Equal("DownloadAttemptFailed", View().Saga!.History[^1].Fact);
                break;
            case SagaPhase.DownloadBackoff:
                var retry = Assert.IsType<StartDownload>(Assert.Single(sent));
                Assert.Equal($"{UpdateId}-dl2", retry.Id);
                Assert.Equal(1024, retry.ResumeOffset);
                break;
            case SagaPhase.AwaitingSwapAck:
                ExpectOutcome(UpdateOutcome.Lost);
                break;
            case SagaPhase.AwaitingBoot:
                Assert.Contains(sent, c => c is GetState { Id: $"{UpdateId}-rb-state" });
                Assert.Equal(SagaPhase.RollingBack, Phase());
                break;
            case SagaPhase.HealthWindow:
                // no verdict reached the saga: it never commits blind, it asks and waits for one
                Assert.DoesNotContain(sent, c => c is CommitImage);
                Assert.Contains(sent, c => c is GetState { Id: $"{UpdateId}-health-state" });
                Assert.Equal(SagaPhase.AwaitingHealth, Phase());
                break;
            case SagaPhase.Committing:
                ExpectOutcome(UpdateOutcome.Lost);
                break;
            case SagaPhase.RollingBack:
                Assert.Equal(SagaPhase.RollbackPending, Phase());
                break;
        }
    }
}
