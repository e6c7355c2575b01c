using FleetOrchestrator.Firmware.Images;
using FleetOrchestrator.Firmware.Versioning;

namespace FleetOrchestrator.Server.Artifacts;

/// <summary>
/// What the store keeps about an artifact beside its bytes and signed manifest.
/// <see cref="Id"/> is the SHA-256 of the bank image bytes (64 lower-case hex digits), so equal bytes are one artifact.
/// </summary>
public sealed record ArtifactMetadata(
    string Id,
    SemanticVersion Version,
    int Size,
    uint Crc32,
    string HardwareTarget,
    SemanticVersion MinimumBootloader,
    bool DowngradeAllowed,
    string OriginalFileName,
    ImageFormat SourceFormat,
    DateTimeOffset UploadedAt,
    string KeyId);
