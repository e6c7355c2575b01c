using FleetOrchestrator.Firmware.Manifests;
using FleetOrchestrator.Protocol.Messages;

namespace FleetOrchestrator.Server.Artifacts;

/// <summary>An artifact as stored: its metadata and the signed manifest devices receive in StartDownload.</summary>
public sealed record StoredArtifact(ArtifactMetadata Metadata, SignedManifest Manifest)
{
    public string Id => Metadata.Id;

    /// <summary>The manifest in the form the StartDownload command carries.</summary>
    public SignedManifestDto ToManifestDto() => new(Manifest.ManifestBase64, Manifest.SignatureBase64, Manifest.KeyId);
}
