using FleetOrchestrator.Firmware.Crc;
using FleetOrchestrator.L072.Agent;
using FleetOrchestrator.L072.Device;

namespace FleetOrchestrator.L072.Tests.Agent;

/// <summary>
/// PROTOCOL.md §8.8: after a commit the inactive bank keeps the previous image, proved intact on request, until the
/// next download's first erase; the swap back to it is an ordinary authorized swap with no download.
/// </summary>
public class SwapBackTests
{
    private static readonly byte[] Old = TestImages.Small(TestImages.V1);
    private static readonly byte[] New = TestImages.Small(TestImages.V2);

    private static AgentHarness Committed()
    {
        var h = new AgentHarness(Old);
        Assert.Equal(AgentOutcome.Done, h.StageAndSwap(New).Outcome);
        Assert.Equal(AgentOutcome.Done, h.Agent.Commit().Outcome);
        return h;
    }

    [Fact]
    public void After_a_commit_the_inactive_bank_reports_the_previous_image_intact_with_the_crc_computed_now()
    {
        var h = Committed();

        var inactive = h.Agent.InactiveImage();

        Assert.NotNull(inactive);
        Assert.Equal(TestImages.V1, inactive.Version);
        Assert.Equal(Old.Length, inactive.Size);
        Assert.Equal(Stm32Crc.Compute(Old), inactive.CrcNow);
        Assert.Equal(Stm32Crc.Compute(Old), inactive.RecordedCrc);
        Assert.True(inactive.Intact);
        Assert.Null(h.Agent.Report().Staged);
    }

    [Fact]
    public void The_swap_back_boots_the_previous_image_on_trial_and_its_commit_keeps_the_newer_one_in_turn()
    {
        var h = Committed();

        Assert.Equal(AgentOutcome.Done, h.Agent.AuthorizeSwap(Stm32Crc.Compute(Old)).Outcome);

        var trial = h.Agent.Report();
        Assert.Equal(TestImages.V1, trial.RunningVersion);
        Assert.Equal(UpdatePhase.Trial, trial.Phase);
        Assert.Equal(1, trial.ActiveBank);
        Assert.Equal(AgentOutcome.AlreadyDone, h.Agent.AuthorizeSwap(Stm32Crc.Compute(Old)).Outcome);
        Assert.Equal(AgentOutcome.Done, h.Agent.Commit().Outcome);
        h.Device.PowerOff();
        h.Agent.PowerOn();
        Assert.Equal(TestImages.V1, h.Agent.Report().RunningVersion);
        Assert.Equal(UpdatePhase.Committed, h.Agent.Report().Phase);
        var kept = h.Agent.InactiveImage();
        Assert.Equal(TestImages.V2, kept?.Version);
        Assert.True(kept?.Intact);
    }

    [Fact]
    public void A_damaged_inactive_bank_is_reported_not_intact_and_the_swap_back_is_refused_without_touching_BFB2()
    {
        var h = Committed();
        Assert.Equal(FlashStatus.Ok, h.Device.ErasePage(h.Device.Part.Bank2Address + 3 * L072Part.PageSize));

        var inactive = h.Agent.InactiveImage();
        var swap = h.Agent.AuthorizeSwap(Stm32Crc.Compute(Old));

        Assert.NotNull(inactive);
        Assert.False(inactive.Intact);
        Assert.NotEqual(inactive.RecordedCrc, inactive.CrcNow);
        Assert.Equal(AgentOutcome.Failed, swap.Outcome);
        var r = h.Agent.Report();
        Assert.Equal(TestImages.V2, r.RunningVersion);
        Assert.Equal(r.Ufb, r.Bfb2);
        Assert.Null(h.Agent.InactiveImage());
    }

    [Fact]
    public void The_next_download_forgets_the_previous_image_before_its_first_erase()
    {
        var h = Committed();

        Assert.Equal(AgentOutcome.Done, h.Agent.BeginStaging(New.Length, Stm32Crc.Compute(New)).Outcome);

        Assert.Null(h.Agent.InactiveImage());
        Assert.Equal(AgentOutcome.Rejected, h.Agent.AuthorizeSwap(Stm32Crc.Compute(Old)).Outcome);
    }

    [Fact]
    public void A_swap_back_with_another_crc_than_the_kept_image_is_refused()
    {
        var h = Committed();

        Assert.Equal(AgentOutcome.Rejected, h.Agent.AuthorizeSwap(Stm32Crc.Compute(Old) ^ 1).Outcome);

        Assert.Equal(TestImages.V2, h.Agent.Report().RunningVersion);
    }

    [Fact]
    public void A_boot_guard_revert_keeps_no_previous_image_the_running_one_is_back()
    {
        var h = new AgentHarness(Old);
        Assert.Equal(AgentOutcome.Done, h.StageAndSwap(New).Outcome);

        Assert.Equal(AgentOutcome.Done, h.Agent.RollBack().Outcome);

        Assert.Equal(TestImages.V1, h.Agent.Report().RunningVersion);
        Assert.Null(h.Agent.InactiveImage());
    }
}
