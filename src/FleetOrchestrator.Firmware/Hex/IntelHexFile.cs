namespace FleetOrchestrator.Firmware.Hex;

/// <summary>
/// What an Intel HEX file says: its data as sorted, non-overlapping, maximal contiguous segments, and the
/// start addresses it declares. Adjacent records are merged, so a gap between segments is a real gap.
/// </summary>
public sealed record IntelHexFile(
    IReadOnlyList<HexSegment> Segments,
    uint? StartLinearAddress,
    StartSegmentAddress? StartSegmentAddress)
{
    public bool IsEmpty => Segments.Count == 0;

    /// <summary>Lowest address holding data; null for a file with no data records.</summary>
    public uint? LowestAddress => IsEmpty ? null : Segments[0].Address;

    /// <summary>One past the highest address holding data; null for a file with no data records.</summary>
    public long? EndExclusive => IsEmpty ? null : Segments[^1].EndExclusive;

    public long DataByteCount => Segments.Sum(s => (long)s.Data.Length);
}

/// <summary>The 8086 CS:IP pair of a type-03 record (meaningless on a Cortex-M, but part of the format).</summary>
public readonly record struct StartSegmentAddress(ushort CodeSegment, ushort InstructionPointer);
