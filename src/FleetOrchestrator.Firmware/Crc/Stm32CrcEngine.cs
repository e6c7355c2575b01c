namespace FleetOrchestrator.Firmware.Crc;

/// <summary>Table-driven MSB-first CRC-32 (poly 0x04C11DB7). Placeholder engine; the fast one replaces it.</summary>
internal static class Stm32CrcEngine
{
    private static readonly uint[] Table = BuildTable();

    private static uint[] BuildTable()
    {
        var t = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i << 24;
            for (int k = 0; k < 8; k++) c = (c & 0x80000000) != 0 ? (c << 1) ^ Stm32Crc.Polynomial : c << 1;
            t[i] = c;
        }
        return t;
    }

    public static uint AppendBytes(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (var b in data) crc = (crc << 8) ^ Table[(crc >> 24) ^ b];
        return crc;
    }

    public static uint AppendWords(uint crc, ReadOnlySpan<byte> data)
    {
        int whole = data.Length & ~3;
        for (int i = 0; i < whole; i += 4)
        {
            crc = (crc << 8) ^ Table[(crc >> 24) ^ data[i + 3]];
            crc = (crc << 8) ^ Table[(crc >> 24) ^ data[i + 2]];
            crc = (crc << 8) ^ Table[(crc >> 24) ^ data[i + 1]];
            crc = (crc << 8) ^ Table[(crc >> 24) ^ data[i]];
        }
        if (whole != data.Length)
        {
            Span<byte> last = stackalloc byte[4];
            last.Clear();
            data[whole..].CopyTo(last);
            crc = AppendWords(crc, last);
        }
        return crc;
    }
}
