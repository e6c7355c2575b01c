using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.Protocol.Messages;

namespace FleetOrchestrator.Orchestration.Devices.Messages;

/// <summary>
/// The image a saga installs, as the artifact store describes it. <see cref="Crc"/> is the STM32 CRC-32 of the image
/// exactly as the device's CRC unit computes it over the staged bank; the saga compares the device's report with it.
/// </summary>
public sealed record UpdateTarget(
    string ArtifactId,
    SemanticVersion Version,
    SignedManifestDto Manifest,
    string Url,
    int Size,
    uint Crc,
    string HardwareTarget,
    SemanticVersion MinBootloader,
    bool AllowDowngrade);
