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
    /// <summary>
    /// Where OLD runs at the start. <see cref="SweepStart.OldOnBank2"/> models the second update of a device: OLD in
    /// physical bank 2 booted by the ROM (BFB2=1, UFB=1), an older image in bank 1; NEW then goes to physical bank 1.
    /// </summary>
    public SweepStart Start { get; init; } = SweepStart.OldOnBank1;

    public static SweepOptions Default { get; } = new();
}

public enum SweepStart { OldOnBank1, OldOnBank2 }
