using FleetOrchestrator.Firmware.Versioning;

namespace FleetOrchestrator.L072.Agent;

/// <summary>
/// A verified image in the inactive bank as the agent proves it on request: the version its marker carries (null for
/// an unmarked image), its recorded size and CRC, the CRC the CRC unit computed just now over that size, and whether
/// the bank is intact (the two CRCs agree and the ROM would boot it).
/// </summary>
public sealed record InactiveImageInfo(SemanticVersion? Version, int Size, uint RecordedCrc, uint CrcNow, bool Intact);
