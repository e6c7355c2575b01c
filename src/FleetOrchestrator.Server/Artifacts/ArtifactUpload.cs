using FleetOrchestrator.Firmware.Versioning;

namespace FleetOrchestrator.Server.Artifacts;

/// <summary>
/// An uploaded image file (.hex or .bin content) and the manifest fields the operator chose for it.
/// <see cref="FileName"/>'s extension picks the format; without a known extension the content decides.
/// </summary>
public sealed record ArtifactUpload(
    string FileName,
    ReadOnlyMemory<byte> Content,
    SemanticVersion Version,
    string HardwareTarget,
    SemanticVersion MinimumBootloader,
    bool DowngradeAllowed);
