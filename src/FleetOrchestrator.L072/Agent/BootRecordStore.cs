using FleetOrchestrator.Firmware.Crc;
using FleetOrchestrator.L072.Device;

namespace FleetOrchestrator.L072.Agent;

/// <summary>
/// Keeps the <see cref="BootRecord"/> power-cut safe and independent of the EEPROM bank swap:
/// <list type="bullet">
/// <item>Pitfall P9: UFB swaps the EEPROM banks, so the store always uses PHYSICAL EEPROM bank 1, whose logical
/// address it computes from UFB (0x0808_0000 when UFB=0, 0x0808_0C00 when UFB=1).</item>
/// <item>Two 32-byte slots, written alternately, each with a sequence number, a magic and a CRC: a write cut at any
/// word leaves the other slot (the previous record) intact, and the torn slot fails its CRC.</item>
/// </list>
/// Slot layout (8 words): seq | state,trialBank,failedBoots,lastRevert | stagedCrc | stagedSize(24)+stagedBank(8) |
/// previousCrc | previousSize(24)+previousBank(8) | magic | crc.
/// Words that already hold the wanted value are not rewritten (saves EEPROM wear and time).
/// </summary>
public sealed class BootRecordStore(L072Device device)
{
    private const uint Magic = 0xB007_5EC0;
    private const int SlotBytes = 32;
    private const int Words = 8;

    public uint PhysicalBank1Address => device.Part.EepromBankCount == 2 && device.Ufb
        ? L072Part.EepromBase + (uint)device.Part.EepromBankBytes
        : L072Part.EepromBase;

    public BootRecord Read() => ReadBest().Record;

    /// <summary>Writes <paramref name="record"/> with the next sequence number into the slot not holding the current record.</summary>
    public BootRecord Write(BootRecord record)
    {
        var (current, slot) = ReadBest();
        var next = record with { Sequence = current.Sequence + 1 };
        int target = slot < 0 ? 0 : slot ^ 1;
        Span<uint> words = stackalloc uint[Words];
        Encode(next, words);
        uint baseAddress = PhysicalBank1Address + (uint)(target * SlotBytes);
        for (int i = 0; i < Words; i++)
        {
            uint address = baseAddress + (uint)(i * 4);
            if (device.ReadEepromWord(address) == words[i]) continue;
            device.RefreshWatchdog();
            var status = device.WriteEepromWord(address, words[i]);
            if (status != FlashStatus.Ok) throw new InvalidOperationException($"EEPROM write at 0x{address:X8} failed: {status}");
        }
        return next;
    }

    private (BootRecord Record, int Slot) ReadBest()
    {
        BootRecord? best = null;
        int bestSlot = -1;
        Span<uint> words = stackalloc uint[Words];
        for (int slot = 0; slot < 2; slot++)
        {
            uint baseAddress = PhysicalBank1Address + (uint)(slot * SlotBytes);
            for (int i = 0; i < Words; i++) words[i] = device.ReadEepromWord(baseAddress + (uint)(i * 4));
            var r = Decode(words);
            if (r is null) continue;
            if (best is null || (int)(r.Sequence - best.Sequence) > 0) { best = r; bestSlot = slot; }
        }
        return (best ?? BootRecord.Factory, bestSlot);
    }

    private static void Encode(BootRecord r, Span<uint> w)
    {
        w[0] = r.Sequence;
        w[1] = (uint)r.State | (uint)(byte)r.TrialBank << 8 | (uint)(byte)Math.Min(r.FailedBoots, 255) << 16 | (uint)r.LastRevert << 24;
        w[2] = r.StagedCrc;
        w[3] = ((uint)r.StagedSize & 0x00FF_FFFF) | (uint)(byte)r.StagedBank << 24;
        w[4] = r.PreviousCrc;
        w[5] = ((uint)r.PreviousSize & 0x00FF_FFFF) | (uint)(byte)r.PreviousBank << 24;
        w[6] = Magic;
        w[7] = Crc(w);
    }

    private static BootRecord? Decode(ReadOnlySpan<uint> w)
    {
        if (w[6] != Magic || w[7] != Crc(w)) return null;
        var state = (BootRecordState)(byte)w[1];
        if (!Enum.IsDefined(state)) return null;
        return new BootRecord(w[0], state, (byte)(w[1] >> 8), (byte)(w[1] >> 16), (RevertReason)(byte)(w[1] >> 24),
            w[2], (int)(w[3] & 0x00FF_FFFF), (byte)(w[3] >> 24), w[4], (int)(w[5] & 0x00FF_FFFF), (byte)(w[5] >> 24));
    }

    private static uint Crc(ReadOnlySpan<uint> w)
    {
        Span<byte> bytes = stackalloc byte[(Words - 1) * 4];
        for (int i = 0; i < Words - 1; i++)
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(bytes[(i * 4)..], w[i]);
        return Stm32Crc.Compute(bytes);
    }
}
