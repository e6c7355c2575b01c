namespace FleetOrchestrator.Firmware.Hex;

/// <summary>A run of contiguous bytes starting at an absolute 32-bit address.</summary>
public sealed record HexSegment(uint Address, ReadOnlyMemory<byte> Data)
{
    /// <summary>One past the last address, as a long so a segment ending at 0xFFFFFFFF does not wrap.</summary>
    public long EndExclusive => (long)Address + Data.Length;
}
