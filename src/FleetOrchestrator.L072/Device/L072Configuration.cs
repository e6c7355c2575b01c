namespace FleetOrchestrator.L072.Device;

/// <summary>Everything that makes one modelled chip differ from another, fixed at manufacture.</summary>
public sealed record L072Configuration
{
    public L072Part Part { get; init; } = L072Part.Xz192K;
    public SiliconRevision Revision { get; init; } = SiliconRevision.Z;
    public RomBootloaderVersion RomBootloader { get; init; } = RomBootloaderVersion.V4_1;
    /// <summary>Factory option bytes: OPTR[15:0] (RDPROT 0xAA = level 0).</summary>
    public ushort InitialRdpOption { get; init; } = 0x00AA;
    /// <summary>Factory option bytes: OPTR[31:16]; 0x8070 = nBOOT1, nRST_STDBY, nRST_STOP, WDG_SW set, BFB2 clear.</summary>
    public ushort InitialUserOption { get; init; } = 0x8070;
    public L072Assumptions Assumptions { get; init; } = L072Assumptions.Default;
    public L072Timings Timings { get; init; } = L072Timings.Typical;

    /// <summary>The configuration the sweep and the fleet simulator default to: 192 KB rev Z, ROM V4.1, RDP 0.</summary>
    public static L072Configuration Default { get; } = new();
}
