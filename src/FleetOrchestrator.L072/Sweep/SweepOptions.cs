using FleetOrchestrator.L072.Agent;
using FleetOrchestrator.L072.Device;
using FleetOrchestrator.L072.Memory;

namespace FleetOrchestrator.L072.Sweep;

/// <summary>Settings of a power-cut sweep. Defaults: the reference device (192 KB, rev Z, ROM V4.1, RDP 0, BOOT0=0), cut before the operation.</summary>
public sealed record SweepOptions
{
    public L072Configuration Configuration { get; init; } = L072Configuration.Default;
    public UpdateAgentOptions Agent { get; init; } = UpdateAgentOptions.Default;
    /// <summary>Download chunk size handed to WriteChunk (need not be half-page aligned).</summary>
    public int ChunkSize { get; init; } = 1024;
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;
    public PagePool Pool { get; init; } = PagePool.Shared;

    public static SweepOptions Default { get; } = new();
}
