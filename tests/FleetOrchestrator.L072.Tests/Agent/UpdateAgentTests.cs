using FleetOrchestrator.Firmware.Crc;
using FleetOrchestrator.L072.Agent;
using FleetOrchestrator.L072.Device;
using FleetOrchestrator.L072.Images;

namespace FleetOrchestrator.L072.Tests.Agent;

public class UpdateAgentTests
{
    private static readonly Firmware.Versioning.SemanticVersion V3 = new(1, 2, 0);

    [Fact]
    public void Fresh_device_reports_old_image_committed_on_bank_1()
    {
        var h = new AgentHarness();
        var r = h.Agent.Report();
        Assert.Equal(DeviceRunState.Running, r.RunState);
        Assert.Equal(TestImages.V1, r.RunningVersion);
        Assert.Equal(Stm32Crc.Compute(TestImages.Small(TestImages.V1)), r.RunningImageCrc);
        Assert.Equal(1, r.ActiveBank);
        Assert.False(r.Ufb);
        Assert.False(r.Bfb2);
        Assert.Equal(UpdatePhase.Committed, r.Phase);
        Assert.Equal(DeviceResetCause.PowerOn, r.LastResetCause);
        Assert.Null(r.Staged);
    }

    [Fact]
    public void Happy_path_stage_verify_swap_boot_commit()
    {
        var h = new AgentHarness();
        var image = TestImages.Small(TestImages.V2);
        var staged = h.Stage(image);
        Assert.Equal(AgentOutcome.Done, staged.Outcome);
        Assert.Equal(Stm32Crc.Compute(image), staged.Crc);
        var before = h.Agent.Report();
        Assert.Equal(new StagedImageInfo(Stm32Crc.Compute(image), image.Length, TestImages.V2), before.Staged);

        Assert.Equal(AgentOutcome.Done, h.Agent.AuthorizeSwap(Stm32Crc.Compute(image)).Outcome);
        var trial = h.Agent.Report();
        Assert.Equal(TestImages.V2, trial.RunningVersion);
        Assert.Equal(UpdatePhase.Trial, trial.Phase);
        Assert.Equal(2, trial.ActiveBank);
        Assert.True(trial.Ufb);
        Assert.True(trial.Bfb2);
        Assert.Equal(DeviceResetCause.OptionByteLoad, trial.LastResetCause);
        Assert.Equal(AgentOutcome.AlreadyDone, h.Agent.AuthorizeSwap(Stm32Crc.Compute(image)).Outcome); // repeated command

        Assert.Equal(AgentOutcome.Done, h.Agent.Commit().Outcome);
        Assert.Equal(AgentOutcome.AlreadyDone, h.Agent.Commit().Outcome);
        h.Device.PowerOff();
        h.Agent.PowerOn();
        var after = h.Agent.Report();
        Assert.Equal(TestImages.V2, after.RunningVersion);
        Assert.Equal(UpdatePhase.Committed, after.Phase);
        Assert.Equal(2, after.ActiveBank);
        Assert.Null(after.Staged);
    }

    [Fact]
    public void A_second_update_goes_back_to_bank_1_by_toggling_BFB2_off()
    {
        var h = new AgentHarness();
        h.StageAndSwap(TestImages.Small(TestImages.V2));
        h.Agent.Commit();
        var third = TestImages.Small(V3);
        h.StageAndSwap(third);
        var r = h.Agent.Report();
        Assert.Equal(V3, r.RunningVersion);
        Assert.Equal(1, r.ActiveBank);
        Assert.False(r.Bfb2);
        Assert.False(r.Ufb);
        Assert.Equal(UpdatePhase.Trial, r.Phase);
        // the staged image was written through logical 0x0801_8000, which was physical bank 1 while UFB=1
        var phys = new byte[third.Length];
        h.Device.ReadPhysicalBank(1, 0, phys);
        Assert.Equal(third, phys);
    }

    [Fact]
    public void Rollback_by_command_returns_to_the_old_image()
    {
        var h = new AgentHarness();
        h.StageAndSwap(TestImages.Small(TestImages.V2));
        Assert.Equal(AgentOutcome.Done, h.Agent.RollBack().Outcome);
        var r = h.Agent.Report();
        Assert.Equal(TestImages.V1, r.RunningVersion);
        Assert.Equal(UpdatePhase.RolledBack, r.Phase);
        Assert.Equal(RevertReason.Commanded, r.LastRevert);
        Assert.Equal(1, r.ActiveBank);
        Assert.False(r.Bfb2);
        Assert.Equal(AgentOutcome.AlreadyDone, h.Agent.RollBack().Outcome);
        Assert.Equal(AgentOutcome.Rejected, h.Agent.Commit().Outcome);
    }

    [Theory]
    [InlineData(ImageBehaviour.CrashLoop, false, RevertReason.CrashLoop)]
    [InlineData(ImageBehaviour.Hang, false, RevertReason.WatchdogLoop)]
    [InlineData(ImageBehaviour.Boots, true, RevertReason.WatchdogLoop)] // lacks the VTOR fix: faults through ROM vectors
    public void The_boot_guard_reverts_a_trial_image_that_keeps_failing(ImageBehaviour behaviour, bool lacksVtorFix, RevertReason reason)
    {
        var h = new AgentHarness();
        var bad = TestImages.Small(TestImages.V2, behaviour, lacksVtorFix);
        var t0 = h.Device.Now;
        h.StageAndSwap(bad);
        var r = h.Agent.Report();
        Assert.Equal(DeviceRunState.Running, r.RunState);
        Assert.Equal(TestImages.V1, r.RunningVersion);
        Assert.Equal(UpdatePhase.RolledBack, r.Phase);
        Assert.Equal(reason, r.LastRevert);
        Assert.Equal(1, r.ActiveBank);
        Assert.False(r.Bfb2);
        if (reason == RevertReason.WatchdogLoop)
            Assert.True(h.Device.Now - t0 >= 3 * h.Device.Watchdog.Timeout, "three IWDG timeouts passed in simulated time");
    }

    [Fact]
    public void A_unit_that_crashes_on_a_release_reverts_a_good_image_of_that_version_and_boots_others()
    {
        var h = new AgentHarness(options: UpdateAgentOptions.Default with { CrashesOnVersion = TestImages.V2 });
        h.StageAndSwap(TestImages.Small(TestImages.V2));
        var r = h.Agent.Report();
        Assert.Equal(DeviceRunState.Running, r.RunState);
        Assert.Equal(TestImages.V1, r.RunningVersion);
        Assert.Equal(UpdatePhase.RolledBack, r.Phase);
        Assert.Equal(RevertReason.CrashLoop, r.LastRevert);

        var elsewhere = UpdateAgentOptions.Default with { CrashesOnVersion = TestImages.V1 with { Patch = 9 } };
        var other = new AgentHarness(options: elsewhere);
        other.StageAndSwap(TestImages.Small(TestImages.V2));
        Assert.Equal(TestImages.V2, other.Agent.Report().RunningVersion);
    }

    [Fact]
    public void A_trial_image_that_fails_health_runs_and_reports_it_and_can_be_rolled_back()
    {
        var h = new AgentHarness();
        h.StageAndSwap(TestImages.Small(TestImages.V2, ImageBehaviour.FailsHealth));
        var r = h.Agent.Report();
        Assert.Equal(TestImages.V2, r.RunningVersion);
        Assert.Equal(UpdatePhase.Trial, r.Phase);
        Assert.False(r.HealthOk);
        Assert.False(h.Agent.CheckHealth());
        h.Agent.RollBack();
        Assert.True(h.Agent.CheckHealth());
    }

    [Fact]
    public void Power_cycles_during_a_trial_are_not_counted_as_failed_boots()
    {
        var h = new AgentHarness();
        h.StageAndSwap(TestImages.Small(TestImages.V2));
        for (int i = 0; i < 5; i++)
        {
            h.Device.PowerOff();
            h.Agent.PowerOn();
        }
        var r = h.Agent.Report();
        Assert.Equal(UpdatePhase.Trial, r.Phase);
        Assert.Equal(0, r.FailedTrialBoots);
    }

    [Fact]
    public void A_software_reset_of_the_trial_image_counts_against_its_trial()
    {
        var h = new AgentHarness();
        h.StageAndSwap(TestImages.Small(TestImages.V2));
        h.Device.SoftwareReset();
        h.Agent.RunAfterReset();
        var r = h.Agent.Report();
        Assert.Equal(UpdatePhase.Trial, r.Phase);
        Assert.Equal(1, r.FailedTrialBoots);
    }

    [Theory]
    [InlineData(DeviceResetCause.IndependentWatchdog, true)]
    [InlineData(DeviceResetCause.WindowWatchdog, true)]
    [InlineData(DeviceResetCause.Software, true)]
    [InlineData(DeviceResetCause.Firewall, true)]
    [InlineData(DeviceResetCause.LowPower, true)]
    [InlineData(DeviceResetCause.PowerOn, false)]
    [InlineData(DeviceResetCause.Pin, false)]
    [InlineData(DeviceResetCause.OptionByteLoad, false)]
    public void The_trial_boot_rule_counts_the_resets_the_image_causes(DeviceResetCause cause, bool counted) =>
        // PROTOCOL.md §8.5; the orchestrator's side is Protocol's TrialBoots, asserted against the same table
        Assert.Equal(counted, UpdateAgent.CountsAgainstTrial(cause));

    [Fact]
    public void A_CRC_mismatch_fails_staging_and_nothing_can_be_swapped_to()
    {
        var h = new AgentHarness();
        var image = TestImages.Small(TestImages.V2);
        var r = h.Stage(image, crc: 0x1234_5678);
        Assert.Equal(AgentOutcome.Failed, r.Outcome);
        Assert.Equal(Stm32Crc.Compute(image), r.Crc);
        Assert.Null(h.Agent.Report().Staged);
        Assert.Equal(AgentOutcome.Rejected, h.Agent.AuthorizeSwap(Stm32Crc.Compute(image)).Outcome);
    }

    [Fact]
    public void Staging_resumes_at_the_offset_the_agent_expects_and_ends_at_reset()
    {
        var h = new AgentHarness();
        var image = TestImages.Small(TestImages.V2);
        h.Agent.BeginStaging(image.Length, Stm32Crc.Compute(image));
        h.Agent.WriteChunk(0, image.AsSpan(0, 1000));
        var wrong = h.Agent.WriteChunk(2000, image.AsSpan(2000, 100));
        Assert.Equal(AgentOutcome.Rejected, wrong.Outcome);
        Assert.Equal(1000, wrong.NextOffset);
        Assert.Equal(1000, h.Agent.StagingNextOffset);
        Assert.Equal(AgentOutcome.Done, h.Agent.WriteChunk(1000, image.AsSpan(1000)).Outcome);
        Assert.Equal(AgentOutcome.Done, h.Agent.FinishStaging().Outcome);

        h.Agent.BeginStaging(image.Length, Stm32Crc.Compute(image));
        h.Device.PowerOff();
        h.Agent.PowerOn();
        Assert.Null(h.Agent.StagingNextOffset);
        Assert.Equal(AgentOutcome.Rejected, h.Agent.WriteChunk(0, image.AsSpan(0, 64)).Outcome);
        Assert.Null(h.Agent.Report().Staged); // BeginStaging forgot the earlier verified image before touching the bank
    }

    [Fact]
    public void The_boot_record_lives_in_physical_EEPROM_bank_1_whatever_UFB_says()
    {
        var d = new L072Device();
        d.PowerOn();
        var store = new BootRecordStore(d);
        var written = store.Write(BootRecord.Factory with { State = BootRecordState.TrialArmed, TrialBank = 2, StagedCrc = 0xCAFE_F00D, StagedSize = 4096, StagedBank = 2 });
        d.SetUfb(true);
        Assert.Equal(0x0808_0C00u, store.PhysicalBank1Address);
        Assert.Equal(written, store.Read());
    }

    [Fact]
    public void A_record_write_cut_at_any_word_leaves_the_previous_record()
    {
        for (int cutAt = 1; cutAt <= 6; cutAt++)
        {
            var d = new L072Device();
            d.PowerOn();
            var store = new BootRecordStore(d);
            var first = store.Write(BootRecord.Factory with { StagedCrc = 1, StagedSize = 10, StagedBank = 2 });
            d.ScheduleCutBeforeOperation(d.OperationCount + cutAt);
            Assert.Throws<PowerLostException>(() => store.Write(first with { State = BootRecordState.TrialArmed, TrialBank = 2 }));
            d.PowerOn();
            Assert.Equal(first, store.Read());
        }
    }

    [Fact]
    public void On_a_V4_0_ROM_the_swap_does_not_boot_and_the_agent_says_so_and_repairs_BFB2()
    {
        var h = new AgentHarness(config: new L072Configuration { RomBootloader = RomBootloaderVersion.V4_0 });
        h.StageAndSwap(TestImages.Small(TestImages.V2));
        var r = h.Agent.Report();
        Assert.Equal(TestImages.V1, r.RunningVersion);
        Assert.Equal(RevertReason.SwapNotBooted, r.LastRevert);
        Assert.False(r.Bfb2);
        Assert.Equal(UpdatePhase.Committed, r.Phase);
    }

    [Fact]
    public void A_committed_image_that_crash_loops_is_reported_as_crash_looping()
    {
        var h = new AgentHarness(old: TestImages.Small(TestImages.V1, ImageBehaviour.CrashLoop));
        Assert.Equal(DeviceRunState.CrashLooping, h.Agent.Report().RunState);
        Assert.Equal(AgentOutcome.Rejected, h.Agent.BeginStaging(100, 0).Outcome);
    }

    [Fact]
    public void An_erased_bank_1_without_BFB2_locks_the_core_up()
    {
        var d = new L072Device();
        var agent = new UpdateAgent(d);
        agent.PowerOn();
        Assert.Equal(DeviceRunState.Lockup, agent.Report().RunState);
    }

    [Fact]
    public void Both_banks_invalid_with_BFB2_waits_in_the_ROM()
    {
        var d = new L072Device(new L072Configuration { InitialUserOption = 0x80F0 });
        var agent = new UpdateAgent(d);
        agent.PowerOn();
        Assert.Equal(DeviceRunState.RomWaitingForHost, agent.Report().RunState);
    }

    [Fact]
    public void The_running_firmware_keeps_the_IWDG_fed_while_time_passes()
    {
        var h = new AgentHarness();
        long resets = h.Device.ResetCount;
        h.Agent.Advance(TimeSpan.FromSeconds(5));
        h.Agent.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(resets, h.Device.ResetCount);
    }
}
