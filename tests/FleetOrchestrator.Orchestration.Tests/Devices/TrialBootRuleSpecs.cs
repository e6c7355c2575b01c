using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.Tests.Support;
using FleetOrchestrator.Protocol.Messages;
using Xunit.Abstractions;

namespace FleetOrchestrator.Orchestration.Tests.Devices;

/// <summary>
/// PROTOCOL.md §8.5's trial-boot rule on the orchestrator side: a reset the trial image caused (watchdogs, software,
/// firewall, low-power) fails the trial; a power cut, the reset pin or an option-byte load does not: the image boots
/// again on trial, runs its self-test again, and the health window starts over.
/// </summary>
public sealed class TrialBootRuleSpecs(ITestOutputHelper output) : SagaSpec(output)
{
    private static readonly ResetCause[] ImageFaultCauses =
    [
        ResetCause.IndependentWatchdog, ResetCause.WindowWatchdog, ResetCause.Software, ResetCause.Firewall,
        ResetCause.LowPower,
    ];

    public static TheoryData<ResetCause> ImageFaults => new(ImageFaultCauses);

    public static TheoryData<ResetCause> NotTheImagesFault =>
        [ResetCause.PowerOn, ResetCause.Pin, ResetCause.OptionByteLoad];

    [Theory]
    [MemberData(nameof(ImageFaults))]
    public void A_reset_the_image_caused_in_the_health_window_rolls_back(ResetCause cause)
    {
        ToHealthWindow();
        Boots(Fleet.New, BankId.Bank2, cause: cause, trialBoots: 2);
        Assert.Equal("crash-loop", ExpectCommand<RollBack>().Reason);
    }

    [Theory]
    [MemberData(nameof(NotTheImagesFault))]
    public void A_power_cut_in_the_health_window_restarts_the_window_and_needs_a_new_verdict(ResetCause cause)
    {
        ToHealthWindow(); // verdict: passed
        Advance(Policy.HealthWindow - TimeSpan.FromMinutes(1));
        Boots(Fleet.New, BankId.Bank2, cause: cause, trialBoots: 1);
        ExpectNoCommand();
        var saga = View().Saga!;
        Assert.Equal(SagaPhase.HealthWindow, saga.Phase);
        Assert.Equal(Clock.Now + Policy.HealthWindow, saga.Deadline);

        Advance(Policy.HealthWindow); // the verdict of the boot before does not count for this boot
        Assert.Equal(CommandIds.HealthStateCheck(UpdateId), ExpectCommand<GetState>().Id);
        HealthPasses();
        ExpectCommand<CommitImage>();
    }

    [Fact]
    public void A_boot_report_counting_an_earlier_crash_of_the_trial_image_rolls_back()
    {
        ToAwaitingBoot();
        // crashed once before it could report (trialBootCount counts only image-caused resets, the first boot is 1)
        Boots(Fleet.New, BankId.Bank2, cause: ResetCause.PowerOn, trialBoots: 2);
        Assert.Equal("crash-loop", ExpectCommand<RollBack>().Reason);
        Assert.Equal(SagaPhase.RollingBack, Phase());
    }

    [Fact]
    public void The_rule_counts_exactly_the_resets_the_image_causes()
    {
        foreach (var cause in Enum.GetValues<ResetCause>())
            Assert.Equal(Array.IndexOf(ImageFaultCauses, cause) >= 0, TrialBoots.CountsAgainstTrial(cause));
    }
}
