using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FleetOrchestrator.Firmware.Crc;

/// <summary>
/// Carry-less-multiply folding for the MSB-first CRC-32 (Intel, "Fast CRC Computation for Generic Polynomials
/// Using PCLMULQDQ"), x86 only; <see cref="Stm32CrcEngine"/> falls back to slicing-by-16 elsewhere.
/// </summary>
/// <remarks>
/// A 16-byte block is held as a 128-bit polynomial, first stream bit = coefficient of x^127. Folding replaces the
/// running remainder X = H·x^64 + L by H·(x^192 mod P) + L·(x^128 mod P), which is congruent to X·x^128 and so can be
/// XORed onto the next block. At the end the 128-bit remainder is handed back to the table engine as 16 bytes with
/// a zero initial value, which computes exactly X·x^32 mod P, the CRC.
/// </remarks>
internal static class Stm32CrcFolding
{
    /// <summary>Below this the set-up costs more than it saves.</summary>
    public const int MinimumLength = 64;

    public static bool IsSupported => Pclmulqdq.IsSupported && Ssse3.IsSupported;

    // Lower lane x^128 mod P, upper lane x^192 mod P: multiplied into L and H respectively.
    private static readonly Vector128<ulong> FoldBy128 = Vector128.Create(XPowModP(128), XPowModP(192));

    // Register byte j takes source byte Mask[j]; makes the little-endian register value equal the big-endian stream value.
    private static readonly Vector128<byte> ByteStreamMask = Vector128.Create((byte)15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
    // Word-fed: each little-endian word is already its own 4 stream bytes; only the word order reverses.
    private static readonly Vector128<byte> WordStreamMask = Vector128.Create((byte)12, 13, 14, 15, 8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3);

    /// <summary>x^n mod P as a 32-bit polynomial.</summary>
    private static ulong XPowModP(int n)
    {
        uint r = 1;
        for (int i = 0; i < n; i++) r = (r & 0x80000000) != 0 ? (r << 1) ^ Stm32Crc.Polynomial : r << 1;
        return r;
    }

    /// <summary>
    /// Folds all whole 16-byte blocks of <paramref name="data"/> (length at least 32) into a 16-byte big-endian
    /// remainder written to <paramref name="remainder"/>; the caller finishes it with a zero-initialised table CRC.
    /// </summary>
    public static void FoldBlocks(uint crc, ReadOnlySpan<byte> data, bool wordFed, Span<byte> remainder)
    {
        var mask = wordFed ? WordStreamMask : ByteStreamMask;
        ref byte p = ref MemoryMarshal.GetReference(data);
        int blocks = data.Length / 16;
        var x = Load(ref p, 0, mask) ^ Vector128.Create(0, 0, 0, crc).AsByte();
        for (int i = 1; i < blocks; i++)
        {
            var v = x.AsUInt64();
            var folded = Pclmulqdq.CarrylessMultiply(v, FoldBy128, 0x00) ^ Pclmulqdq.CarrylessMultiply(v, FoldBy128, 0x11);
            x = folded.AsByte() ^ Load(ref p, i * 16, mask);
        }
        Ssse3.Shuffle(x, ByteStreamMask).CopyTo(remainder);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Load(ref byte p, int offset, Vector128<byte> mask) =>
        Ssse3.Shuffle(Unsafe.ReadUnaligned<Vector128<byte>>(ref Unsafe.Add(ref p, offset)), mask);
}
