using FleetOrchestrator.Firmware.Versioning;

namespace FleetOrchestrator.Protocol.Messages;

/// <summary>
/// The image the device's inactive bank holds (PROTOCOL.md §6.3 <c>inactiveBank</c>, kept as §8.8 says): its
/// version, its size, the CRC the CRC unit computed over <see cref="Size"/> bytes of the bank when the report was
/// built, and whether that CRC still equals the one the device recorded when the image was verified. The orchestrator
/// swaps back to it instead of downloading only when it is <see cref="Intact"/> and its CRC is the artifact's.
/// </summary>
public sealed record InactiveBankImage(SemanticVersion Version, int Size, uint Crc, bool Intact);
