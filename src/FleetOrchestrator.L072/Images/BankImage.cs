using System.Buffers.Binary;
using FleetOrchestrator.L072.Device;

namespace FleetOrchestrator.L072.Images;

/// <summary>The start of whatever a bank holds: its vector table words and, if present, its marker.</summary>
public sealed record BankImage(uint InitialStackPointer, uint ResetVector, ImageMarker? Marker)
{
    public static BankImage Read(L072Device device, uint bankAddress)
    {
        Span<byte> head = stackalloc byte[ImageMarker.Offset + ImageMarker.Size];
        device.ReadFlash(bankAddress, head);
        return new BankImage(
            BinaryPrimitives.ReadUInt32LittleEndian(head),
            BinaryPrimitives.ReadUInt32LittleEndian(head[4..]),
            ImageMarker.TryRead(head[ImageMarker.Offset..]));
    }

    /// <summary>
    /// What the core needs to get going (reference §8 simulator heuristic): SP word-aligned inside SRAM (one past the
    /// end allowed) and an odd reset vector inside program flash. Anything else faults at once.
    /// </summary>
    public bool CanExecute(L072Part part) =>
        (InitialStackPointer & 3) == 0 && InitialStackPointer > 0x2000_0000 && InitialStackPointer <= 0x2000_5000
        && (ResetVector & 1) == 1
        && (ResetVector & ~1u) >= L072Part.FlashBase && (ResetVector & ~1u) < L072Part.FlashBase + (uint)part.FlashBytes;
}
