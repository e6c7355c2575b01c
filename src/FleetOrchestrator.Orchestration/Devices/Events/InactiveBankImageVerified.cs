using FleetOrchestrator.Firmware.Versioning;

namespace FleetOrchestrator.Orchestration.Devices.Events;

/// <summary>
/// The device's report (PROTOCOL.md §6.3 <c>inactiveBank</c>, §8.8) shows the target image intact in its inactive
/// bank, with the artifact's version, size and CRC: the saga skips the download and is Staged at once, as if
/// <see cref="StagedCrcVerified"/> had come in (a fleet rollback swapping back to the previous image). With automatic
/// activation <see cref="Swap"/> is the swap back authorized on the same report (one input, one command).
/// </summary>
public sealed record InactiveBankImageVerified(
    DateTimeOffset At, long? Sequence, SemanticVersion Version, uint Crc, SwapAuthorized? Swap = null)
    : IDeviceActorEvent, IFromDevice;
