namespace FleetOrchestrator.Firmware.Tests.Support;

/// <summary>
/// Bit-at-a-time model of the STM32 CRC unit, written straight from the reference manual's description (shift each
/// 32-bit word in MSB first), sharing nothing with the production engine so the two can check each other.
/// </summary>
internal static class ReferenceCrc
{
    private const uint Poly = 0x04C11DB7;

    public static uint FeedWord(uint crc, uint word)
    {
        for (int bit = 31; bit >= 0; bit--)
        {
            uint inBit = (word >> bit) & 1;
            uint top = crc >> 31;
            crc <<= 1;
            if ((top ^ inBit) != 0) crc ^= Poly;
        }
        return crc;
    }

    /// <summary>Word-fed over little-endian words, trailing partial word padded with zeros.</summary>
    public static uint Words(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        for (int i = 0; i < data.Length; i += 4)
        {
            uint w = 0;
            for (int k = 0; k < 4; k++) w |= (uint)(i + k < data.Length ? data[i + k] : 0) << (8 * k);
            crc = FeedWord(crc, w);
        }
        return crc;
    }

    /// <summary>CRC-32/MPEG-2: bytes fed MSB first.</summary>
    public static uint Bytes(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (var b in data)
        {
            for (int bit = 7; bit >= 0; bit--)
            {
                uint inBit = (uint)(b >> bit) & 1;
                uint top = crc >> 31;
                crc <<= 1;
                if ((top ^ inBit) != 0) crc ^= Poly;
            }
        }
        return crc;
    }
}
