namespace FleetOrchestrator.Firmware.Images;

/// <summary>
/// A validated image for one L072 bank: the exact bytes the bank will hold from its first byte
/// (gaps filled with the erase value 0x00, no trailing padding beyond the last data byte rounded up to a word).
/// </summary>
public sealed record FirmwareImage(ReadOnlyMemory<byte> Bytes, uint LoadAddress, ImageFormat Format)
{
    public int Size => Bytes.Length;
    public uint InitialStackPointer => BitConverter.ToUInt32(Bytes.Span[..4]);
    public uint ResetHandler => BitConverter.ToUInt32(Bytes.Span[4..8]);
    public uint Crc32 => Crc.Stm32Crc.Compute(Bytes.Span);
}

public enum ImageFormat { IntelHex, Binary }
