using FleetOrchestrator.Firmware.Crc;
using FleetOrchestrator.L072.Agent;
using FleetOrchestrator.L072.Device;
using FleetOrchestrator.L072.Images;

namespace FleetOrchestrator.L072.Tests.Agent;

public class UpdateAgentEdgeTests
{
    [Fact]
    public void EraseStaged_forgets_and_erases_the_inactive_bank()
    {
        var h = new AgentHarness();
        var image = TestImages.Small(TestImages.V2);
        h.Stage(image);
        long ops = h.Device.OperationCount;
        Assert.Equal(AgentOutcome.Done, h.Agent.EraseStaged().Outcome);
        Assert.Null(h.Agent.Report().Staged);
        Assert.Equal(0u, h.Device.ReadFlashWord(0x0801_8000));
        Assert.True(h.Device.OperationCount - ops >= h.Device.Part.PagesPerBank);
        Assert.Equal(AgentOutcome.Rejected, h.Agent.AuthorizeSwap(Stm32Crc.Compute(image)).Outcome);
    }

    [Fact]
    public void The_128_KB_part_stages_at_0x0801_0000_and_swaps()
    {
        var h = new AgentHarness(config: new L072Configuration { Part = L072Part.Xb128K });
        h.StageAndSwap(TestImages.Small(TestImages.V2));
        var r = h.Agent.Report();
        Assert.Equal(TestImages.V2, r.RunningVersion);
        Assert.Equal(2, r.ActiveBank);
        Assert.Equal(128, r.FlashSizeKb);
    }

    [Fact]
    public void A_single_bank_part_refuses_staging()
    {
        var h = new AgentHarness(config: new L072Configuration { Part = L072Part.X8SingleBank64K });
        Assert.Equal(AgentOutcome.Rejected, h.Agent.BeginStaging(1024, 0).Outcome);
    }

    [Fact]
    public void Staging_rejects_sizes_beyond_the_bank_and_chunks_beyond_the_size()
    {
        var h = new AgentHarness();
        Assert.Equal(AgentOutcome.Rejected, h.Agent.BeginStaging(96 * 1024 + 4, 0).Outcome);
        Assert.Equal(AgentOutcome.Rejected, h.Agent.BeginStaging(0, 0).Outcome);
        h.Agent.BeginStaging(100, 0);
        Assert.Equal(AgentOutcome.Rejected, h.Agent.WriteChunk(0, new byte[101]).Outcome);
        Assert.Equal(AgentOutcome.Rejected, h.Agent.FinishStaging().Outcome);
    }

    [Fact]
    public void Staging_is_refused_while_a_trial_runs()
    {
        var h = new AgentHarness();
        h.StageAndSwap(TestImages.Small(TestImages.V2));
        Assert.Equal(AgentOutcome.Rejected, h.Agent.BeginStaging(1024, 0).Outcome);
        Assert.Equal(AgentOutcome.Rejected, h.Agent.EraseStaged().Outcome);
    }

    [Fact]
    public void An_image_the_ROM_would_reject_is_never_staged()
    {
        var h = new AgentHarness();
        var image = TestImages.Small(TestImages.V2);
        image[3] = 0x30; // SP 0x3000_5000: outside SRAM
        var r = h.Stage(image);
        Assert.Equal(AgentOutcome.Failed, r.Outcome);
        Assert.Null(h.Agent.Report().Staged);
    }

    [Fact]
    public void Garbage_in_the_boot_record_area_is_ignored_and_the_device_boots()
    {
        var random = new Random(42);
        for (int round = 0; round < 50; round++)
        {
            var d = new L072Device();
            d.LoadPhysicalBank(1, d.Pool.InternContent(TestImages.Small(TestImages.V1), d.Part.PagesPerBank));
            d.PowerOn();
            for (uint a = 0x0808_0000; a < 0x0808_0040; a += 4) d.WriteEepromWord(a, (uint)random.Next());
            d.PowerOff();
            var agent = new UpdateAgent(d);
            agent.PowerOn();
            var r = agent.Report();
            Assert.Equal(DeviceRunState.Running, r.RunState);
            Assert.Equal(UpdatePhase.Committed, r.Phase);
        }
    }

    [Fact]
    public void The_marker_parser_never_throws_on_random_bytes()
    {
        var random = new Random(7);
        var block = new byte[ImageMarker.Size];
        int accepted = 0;
        for (int i = 0; i < 20_000; i++)
        {
            random.NextBytes(block);
            if (i % 2 == 0) BitConverter.TryWriteBytes(block, ImageMarker.Magic); // get past the magic half the time
            if (ImageMarker.TryRead(block) is not null) accepted++;
        }
        Assert.Equal(0, accepted);
        Assert.Null(ImageMarker.TryRead(new byte[5]));
    }
}
