using FleetOrchestrator.Firmware.Images;
using FleetOrchestrator.Firmware.Manifests;
using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.Protocol.Messages;
using FleetOrchestrator.Server.Artifacts;

namespace FleetOrchestrator.Server.Api;

/// <summary>An artifact as the operator API shows it. The CRC is written "0x1234ABCD", as in the manifest.</summary>
public sealed record ArtifactView(
    string Id,
    SemanticVersion Version,
    int Size,
    string Crc32,
    string HardwareTarget,
    SemanticVersion MinimumBootloader,
    bool DowngradeAllowed,
    string OriginalFileName,
    ImageFormat SourceFormat,
    DateTimeOffset UploadedAt,
    string KeyId,
    SignedManifestDto SignedManifest)
{
    public static ArtifactView Of(StoredArtifact artifact)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        var m = artifact.Metadata;
        return new ArtifactView(m.Id, m.Version, m.Size, ManifestJson.FormatCrc(m.Crc32), m.HardwareTarget, m.MinimumBootloader,
            m.DowngradeAllowed, m.OriginalFileName, m.SourceFormat, m.UploadedAt, m.KeyId, artifact.ToManifestDto());
    }
}
