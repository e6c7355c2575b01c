using FleetOrchestrator.Firmware.Crc;
using FleetOrchestrator.L072.Agent;
using FleetOrchestrator.L072.Device;

namespace FleetOrchestrator.L072.Tests.Agent;

/// <summary>A device with OLD committed in bank 1, powered and running, plus helpers to drive the agent.</summary>
internal sealed class AgentHarness
{
    public AgentHarness(byte[]? old = null, L072Configuration? config = null, UpdateAgentOptions? options = null)
    {
        Device = new L072Device(config);
        Device.LoadPhysicalBank(1, Device.Pool.InternContent(old ?? TestImages.Small(TestImages.V1), Device.Part.PagesPerBank));
        Agent = new UpdateAgent(Device, options);
        Agent.PowerOn();
    }

    public L072Device Device { get; }
    public UpdateAgent Agent { get; }

    public AgentResult Stage(byte[] image, int chunk = 100, uint? crc = null)
    {
        var begin = Agent.BeginStaging(image.Length, crc ?? Stm32Crc.Compute(image));
        if (!begin.Succeeded) return begin;
        for (int o = 0; o < image.Length; o += chunk)
        {
            var r = Agent.WriteChunk(o, image.AsSpan(o, Math.Min(chunk, image.Length - o)));
            if (!r.Succeeded) return r;
        }
        return Agent.FinishStaging();
    }

    public AgentResult StageAndSwap(byte[] image)
    {
        var staged = Stage(image);
        Assert.Equal(AgentOutcome.Done, staged.Outcome);
        return Agent.AuthorizeSwap(Stm32Crc.Compute(image));
    }
}
