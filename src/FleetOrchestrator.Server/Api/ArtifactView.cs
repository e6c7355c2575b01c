using FleetOrchestrator.Firmware.Images;
using FleetOrchestrator.Firmware.Manifests;
using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.Protocol.Messages;
using FleetOrchestrator.Server.Artifacts;

namespace FleetOrchestrator.Server.Api;

/// <summary>
/// An artifact as the operator API shows it. The CRC is written "0x1234ABCD", as in the manifest. <see
/// cref="Damaged"/>
/// is true when its image on disk no longer matches (then <see cref="DamageReason"/> says how): it is neither served
/// nor used for new updates.
/// </summary>
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
    SignedManifestDto SignedManifest,
    bool Damaged = false,
    string? DamageReason = null)
{
    public static ArtifactView Of(StoredArtifact artifact, string? damage = null)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        var m = artifact.Metadata;
        return new ArtifactView(m.Id, m.Version, m.Size, ManifestJson.FormatCrc(m.Crc32), m.HardwareTarget, m.MinimumBootloader,
            m.DowngradeAllowed, m.OriginalFileName, m.SourceFormat, m.UploadedAt, m.KeyId, artifact.ToManifestDto(),
            damage is not null, damage);
    }

    /// <summary>The view with the store's current verdict on the image.</summary>
    public static ArtifactView Of(StoredArtifact artifact, ArtifactStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        return Of(artifact, store.DamageOf(artifact.Id));
    }
}
