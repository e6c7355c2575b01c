using FleetOrchestrator.Firmware.Crc;

namespace FleetOrchestrator.L072.Peripherals;

/// <summary>
/// The CRC unit in its reset configuration (poly 0x04C11DB7, init 0xFFFFFFFF, no reflection), fed 32-bit words:
/// the same function as <see cref="Stm32Crc.Compute"/> over little-endian flash words.
/// </summary>
public sealed class CrcUnit
{
    public uint Value { get; private set; } = Stm32Crc.InitialValue;

    /// <summary>CR.RESET: reload INIT.</summary>
    public void Reset() => Value = Stm32Crc.InitialValue;

    /// <summary>A 32-bit write to DR.</summary>
    public void WriteWord(uint word)
    {
        Span<byte> le = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(le, word);
        Value = Stm32Crc.Append(Value, le);
    }

    /// <summary>
    /// Leaves the unit holding <paramref name="value"/>, the result of feeding it content whose CRC is already known
    /// (<see cref="Memory.PageRunCrcMemo"/>): the same end state as the writes, without repeating them.
    /// </summary>
    internal void LoadResult(uint value) => Value = value;

    /// <summary>Consecutive 32-bit writes of little-endian words (length a multiple of 4, or the last call).</summary>
    public void WriteWords(ReadOnlySpan<byte> littleEndianWords) => Value = Stm32Crc.Append(Value, littleEndianWords);
}
