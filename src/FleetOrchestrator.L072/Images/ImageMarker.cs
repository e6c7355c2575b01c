using System.Buffers.Binary;
using FleetOrchestrator.Firmware.Crc;
using FleetOrchestrator.Firmware.Versioning;

namespace FleetOrchestrator.L072.Images;

/// <summary>
/// The 32-byte block a synthetic image carries at offset 0xC0, right after the L072's 48-entry vector table:
/// <code>
/// +0x00 u32 magic "FOSM" (0x4D534F46)     +0x04 u16 layout version (1)   +0x06 u8 behaviour  +0x07 u8 flags (b0 lacks VTOR fix)
/// +0x08 u16 major  +0x0A u16 minor  +0x0C u16 patch  +0x0E u16 reserved (0)
/// +0x10 u32 image size in bytes     +0x14..+0x1B reserved (0)            +0x1C u32 STM32 CRC of bytes +0x00..+0x1B
/// </code>
/// All little-endian. Real toolchain output has no such block and is treated as "boots fine".
/// </summary>
public sealed record ImageMarker(SemanticVersion Version, ImageBehaviour Behaviour, bool LacksVtorFix, int ImageSize)
{
    public const int Offset = 0xC0;
    public const int Size = 32;
    public const uint Magic = 0x4D53_4F46;
    private const ushort LayoutVersion = 1;

    public void WriteTo(Span<byte> block)
    {
        block[..Size].Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(block, Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(block[4..], LayoutVersion);
        block[6] = (byte)Behaviour;
        block[7] = (byte)(LacksVtorFix ? 1 : 0);
        BinaryPrimitives.WriteUInt16LittleEndian(block[8..], checked((ushort)Version.Major));
        BinaryPrimitives.WriteUInt16LittleEndian(block[10..], checked((ushort)Version.Minor));
        BinaryPrimitives.WriteUInt16LittleEndian(block[12..], checked((ushort)Version.Patch));
        BinaryPrimitives.WriteUInt32LittleEndian(block[16..], (uint)ImageSize);
        BinaryPrimitives.WriteUInt32LittleEndian(block[28..], Stm32Crc.Compute(block[..28]));
    }

    /// <summary>Parses a marker block; null when the bytes are not one (wrong magic, layout, CRC or values).</summary>
    public static ImageMarker? TryRead(ReadOnlySpan<byte> block)
    {
        if (block.Length < Size) return null;
        if (BinaryPrimitives.ReadUInt32LittleEndian(block) != Magic) return null;
        if (BinaryPrimitives.ReadUInt16LittleEndian(block[4..]) != LayoutVersion) return null;
        if (BinaryPrimitives.ReadUInt32LittleEndian(block[28..]) != Stm32Crc.Compute(block[..28])) return null;
        if (block[6] > (byte)ImageBehaviour.FailsHealth || block[7] > 1) return null;
        int size = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(block[16..]), int.MaxValue);
        return new ImageMarker(
            new SemanticVersion(
                BinaryPrimitives.ReadUInt16LittleEndian(block[8..]),
                BinaryPrimitives.ReadUInt16LittleEndian(block[10..]),
                BinaryPrimitives.ReadUInt16LittleEndian(block[12..])),
            (ImageBehaviour)block[6], block[7] == 1, size);
    }
}
