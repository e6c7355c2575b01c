using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.Tests.Support;
using FleetOrchestrator.Protocol.Messages;
using Xunit.Abstractions;

namespace FleetOrchestrator.Orchestration.Tests.Devices;

/// <summary>
/// The saga commits only an image whose self-test it saw pass (PROTOCOL.md §8.5): a <c>health</c> event, or the
/// <c>health</c> field of a state report while on trial. A verdict published while the orchestrator was down, or by a
/// device asleep through the health window, is learned from the state report; silence is never taken for health.
/// </summary>
public sealed class HealthVerdictSpecs(ITestOutputHelper output) : SagaSpec(output)
{
    private static DeviceStateReport Trial(TrialHealth health) =>
        Fleet.Report(Fleet.New, BankId.Bank2, ImageState.Trial) with { Health = health };

    [Fact]
    public void An_unhealthy_verdict_published_while_the_orchestrator_was_down_is_learned_and_rolled_back()
    {
        ToHealthWindow(passesSelfTest: false);
        StopActor(); // the device publishes health:false now; nobody hears it
        Clock.Advance(Policy.HealthWindow - TimeSpan.FromMinutes(1));

        StartActor();
        var question = ExpectCommand<GetState>();
        Assert.Equal(CommandIds.HealthStateCheck(UpdateId), question.Id);
        Reports(Trial(TrialHealth.Failed), question.Id);
        var rollback = ExpectCommand<RollBack>();
        Assert.Equal("health", rollback.Reason);
        Advance(Policy.HealthWindow);
        Assert.Equal(SagaPhase.RollingBack, Phase()); // and no commit, ever
        var sent = Device.ReceiveWhile(TimeSpan.FromMilliseconds(200), m => ((CommandSent)m).Command);
        Assert.DoesNotContain(sent, c => c is CommitImage);
    }

    [Fact]
    public void An_unhealthy_verdict_missed_while_down_is_never_committed_even_when_the_window_ends_first()
    {
        ToHealthWindow(passesSelfTest: false);
        StopActor();
        Clock.Advance(Policy.HealthWindow + TimeSpan.FromMinutes(1)); // the window ended while the actor was down
        StartActor();
        View();
        Advance(TimeSpan.Zero);
        var sent = Device.ReceiveWhile(TimeSpan.FromMilliseconds(200), m => ((CommandSent)m).Command);
        Assert.DoesNotContain(sent, c => c is CommitImage);
        Assert.Equal(SagaPhase.AwaitingHealth, Phase());

        Reports(Trial(TrialHealth.Failed), CommandIds.HealthStateCheck(UpdateId));
        Assert.Equal("health", ExpectCommand<RollBack>().Reason);
    }

    [Fact]
    public void A_sleeping_device_reports_its_verdict_at_its_next_wake_up_and_the_saga_commits_then()
    {
        ToHealthWindow(passesSelfTest: false);
        Advance(Policy.HealthWindow);
        Assert.Equal(CommandIds.HealthStateCheck(UpdateId), ExpectCommand<GetState>().Id);
        Assert.Equal(SagaPhase.AwaitingHealth, Phase());
        Assert.Equal(Clock.Now + Policy.HealthReportDeadline, View().Saga!.Deadline);

        Advance(TimeSpan.FromHours(3)); // asleep (LTE-M power saving): the questions queue in its session
        var asked = Device.ReceiveWhile(TimeSpan.FromMilliseconds(200), m => ((CommandSent)m).Command);
        Assert.All(asked, c => Assert.IsType<GetState>(c));
        HealthPasses(); // it wakes, its self-test done
        var commit = ExpectCommand<CommitImage>();
        FromDevice(new ImageCommitted(commit.Id, NextSequence(), Fleet.New));
        ExpectOutcome(UpdateOutcome.Updated);
        Assert.Contains(View().Saga!.History, t => t.Fact == "HealthVerdictAwaited");
    }

    [Fact]
    public void A_passing_verdict_in_the_state_answer_after_the_window_commits()
    {
        ToHealthWindow(passesSelfTest: false);
        Advance(Policy.HealthWindow);
        var question = ExpectCommand<GetState>();
        Reports(Trial(TrialHealth.Pending), question.Id);
        ExpectNoCommand();
        Reports(Trial(TrialHealth.Passed), question.Id);
        ExpectCommand<CommitImage>();
        Assert.Equal(SagaPhase.Committing, Phase());
    }

    [Fact]
    public void No_verdict_by_the_health_report_deadline_rolls_back_rather_than_commit_blind()
    {
        ToHealthWindow(passesSelfTest: false);
        Advance(Policy.HealthWindow);
        ExpectCommand<GetState>();
        Advance(Policy.HealthReportDeadline);
        var sent = Device.ReceiveWhile(TimeSpan.FromMilliseconds(200), m => ((CommandSent)m).Command);
        var rollback = Assert.IsType<RollBack>(sent.Last(c => c is RollBack));
        Assert.Equal("health-unreported", rollback.Reason);
        Assert.DoesNotContain(sent, c => c is CommitImage);
        Assert.StartsWith("health-unreported", View().Saga!.RollbackReason);
    }
}
