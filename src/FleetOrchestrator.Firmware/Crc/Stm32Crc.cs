namespace FleetOrchestrator.Firmware.Crc;

/// <summary>
/// The STM32 hardware CRC unit in its reset configuration: polynomial 0x04C11DB7, init 0xFFFFFFFF,
/// no reflection, no final XOR, fed 32-bit words. Flash holds words little-endian, and the unit
/// shifts each word in bit 31 first, so the byte stream it effectively sees is b3 b2 b1 b0 per word.
/// </summary>
public static class Stm32Crc
{
    public const uint Polynomial = 0x04C11DB7;
    public const uint InitialValue = 0xFFFFFFFF;

    /// <summary>CRC the CRC unit computes over <paramref name="data"/> fed as little-endian words; a trailing partial word is padded with 0x00.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Append(InitialValue, data);

    /// <summary>Continues a word-fed CRC. All but the last call must pass a multiple of 4 bytes.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data) => Stm32CrcEngine.AppendWords(crc, data);

    /// <summary>CRC-32/MPEG-2 over a byte stream (what HAL computes with CRC_INPUTDATA_FORMAT_BYTES).</summary>
    public static uint ComputeMpeg2(ReadOnlySpan<byte> data) => Stm32CrcEngine.AppendBytes(InitialValue, data);
}
