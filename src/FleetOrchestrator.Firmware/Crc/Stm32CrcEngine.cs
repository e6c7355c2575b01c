using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FleetOrchestrator.Firmware.Crc;

/// <summary>
/// MSB-first CRC-32 (poly 0x04C11DB7, no reflection). On x86 with PCLMULQDQ long inputs go through
/// <see cref="Stm32CrcFolding"/>; everywhere else slicing-by-16: sixteen 256-entry tables let one iteration absorb
/// 16 input bytes with independent lookups, which is what gets a scalar CRC past 1 GB/s.
/// </summary>
/// <remarks>
/// An MSB-first CRC consumes its input stream four bytes at a time as a big-endian word XORed into the register.
/// For the word-fed STM32 unit the stream of one flash word is b3 b2 b1 b0, whose big-endian value is simply the
/// little-endian read of b0..b3; for the byte-fed MPEG-2 variant it is the big-endian read. So both variants share
/// one kernel and differ only in how a word is loaded.
/// </remarks>
internal static class Stm32CrcEngine
{
    private const int Slices = 16;

    // Table k maps a byte to the CRC of that byte followed by k zero bytes; flat array, table k at k*256.
    private static readonly uint[] Tables = BuildTables();

    private static uint[] BuildTables()
    {
        var t = new uint[Slices * 256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i << 24;
            for (int k = 0; k < 8; k++) c = (c & 0x80000000) != 0 ? (c << 1) ^ Stm32Crc.Polynomial : c << 1;
            t[i] = c;
        }
        for (int k = 1; k < Slices; k++)
        {
            for (int i = 0; i < 256; i++)
            {
                uint prev = t[((k - 1) * 256) + i];
                t[(k * 256) + i] = (prev << 8) ^ t[prev >> 24];
            }
        }
        return t;
    }

    public static uint AppendBytes(uint crc, ReadOnlySpan<byte> data)
    {
        if (Stm32CrcFolding.IsSupported && data.Length >= Stm32CrcFolding.MinimumLength)
        {
            int folded = data.Length & ~15;
            Span<byte> remainder = stackalloc byte[16];
            Stm32CrcFolding.FoldBlocks(crc, data[..folded], wordFed: false, remainder);
            return AppendBytesTable(AppendBytesTable(0, remainder), data[folded..]);
        }
        return AppendBytesTable(crc, data);
    }

    public static uint AppendWords(uint crc, ReadOnlySpan<byte> data)
    {
        if (Stm32CrcFolding.IsSupported && data.Length >= Stm32CrcFolding.MinimumLength)
        {
            int folded = data.Length & ~15;
            Span<byte> remainder = stackalloc byte[16];
            Stm32CrcFolding.FoldBlocks(crc, data[..folded], wordFed: true, remainder);
            // The remainder is a plain big-endian byte stream, whatever the feed; the tail is still words.
            return AppendWordsTable(AppendBytesTable(0, remainder), data[folded..]);
        }
        return AppendWordsTable(crc, data);
    }

    /// <summary>Slicing-by-16 only (the portable path; also what tests compare the folding path against).</summary>
    internal static uint AppendBytesTable(uint crc, ReadOnlySpan<byte> data)
    {
        int blocks = data.Length / Slices * Slices;
        crc = AppendBlocks(crc, data[..blocks], bigEndianWords: true);
        foreach (var b in data[blocks..]) crc = (crc << 8) ^ Tables[(crc >> 24) ^ b];
        return crc;
    }

    /// <summary>Slicing-by-16 only, word-fed.</summary>
    internal static uint AppendWordsTable(uint crc, ReadOnlySpan<byte> data)
    {
        int blocks = data.Length / Slices * Slices;
        crc = AppendBlocks(crc, data[..blocks], bigEndianWords: false);
        var rest = data[blocks..];
        int whole = rest.Length & ~3;
        for (int i = 0; i < whole; i += 4) crc = AppendWord(crc, BinaryPrimitives.ReadUInt32LittleEndian(rest[i..]));
        if (whole != rest.Length)
        {
            // The unit only takes whole words; firmware pads the tail with the erase value 0x00.
            Span<byte> last = stackalloc byte[4];
            last.Clear();
            rest[whole..].CopyTo(last);
            crc = AppendWord(crc, BinaryPrimitives.ReadUInt32LittleEndian(last));
        }
        return crc;
    }

    private static uint AppendWord(uint crc, uint word)
    {
        ref uint t = ref MemoryMarshal.GetArrayDataReference(Tables);
        uint a = crc ^ word;
        return Lookup(ref t, 3, a >> 24) ^ Lookup(ref t, 2, (a >> 16) & 0xFF) ^ Lookup(ref t, 1, (a >> 8) & 0xFF) ^ Lookup(ref t, 0, a & 0xFF);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Lookup(ref uint tables, int slice, uint index) => Unsafe.Add(ref tables, (nint)((uint)(slice * 256) + index));

    private static uint AppendBlocks(uint crc, ReadOnlySpan<byte> data, bool bigEndianWords)
    {
        ref uint t = ref MemoryMarshal.GetArrayDataReference(Tables);
        ref byte p = ref MemoryMarshal.GetReference(data);
        nint n = data.Length;
        for (nint i = 0; i < n; i += Slices)
        {
            uint w0 = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref p, i));
            uint w1 = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref p, i + 4));
            uint w2 = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref p, i + 8));
            uint w3 = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref p, i + 12));
            if (bigEndianWords == BitConverter.IsLittleEndian)
            {
                w0 = BinaryPrimitives.ReverseEndianness(w0);
                w1 = BinaryPrimitives.ReverseEndianness(w1);
                w2 = BinaryPrimitives.ReverseEndianness(w2);
                w3 = BinaryPrimitives.ReverseEndianness(w3);
            }
            w0 ^= crc;
            crc = Lookup(ref t, 15, w0 >> 24) ^ Lookup(ref t, 14, (w0 >> 16) & 0xFF) ^ Lookup(ref t, 13, (w0 >> 8) & 0xFF) ^ Lookup(ref t, 12, w0 & 0xFF)
                ^ Lookup(ref t, 11, w1 >> 24) ^ Lookup(ref t, 10, (w1 >> 16) & 0xFF) ^ Lookup(ref t, 9, (w1 >> 8) & 0xFF) ^ Lookup(ref t, 8, w1 & 0xFF)
                ^ Lookup(ref t, 7, w2 >> 24) ^ Lookup(ref t, 6, (w2 >> 16) & 0xFF) ^ Lookup(ref t, 5, (w2 >> 8) & 0xFF) ^ Lookup(ref t, 4, w2 & 0xFF)
                ^ Lookup(ref t, 3, w3 >> 24) ^ Lookup(ref t, 2, (w3 >> 16) & 0xFF) ^ Lookup(ref t, 1, (w3 >> 8) & 0xFF) ^ Lookup(ref t, 0, w3 & 0xFF);
        }
        return crc;
    }
}
