using FleetOrchestrator.Firmware.Manifests;
using FleetOrchestrator.Protocol.Messages;

namespace FleetOrchestrator.Server.Artifacts;

/// <summary>An artifact as stored: its metadata and the signed manifest devices receive in StartDownload.</summary>
public sealed record StoredArtifact(ArtifactMetadata Metadata, SignedManifest Manifest)
{
    public string Id => Metadata.Id;

    /// <summary>SHA-256 of the image bytes as the signed manifest states it (the id also covers the target).</summary>
    public string ImageSha256 { get; } = ManifestJson.Parse(Manifest.CanonicalManifest.Span).ImageSha256;

    /// <summary>The manifest in the form the StartDownload command carries.</summary>
    public SignedManifestDto ToManifestDto() => new(Manifest.ManifestBase64, Manifest.SignatureBase64, Manifest.KeyId);
}
