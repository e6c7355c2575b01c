using FleetOrchestrator.Firmware.Hashing;

namespace FleetOrchestrator.Server.Artifacts;

/// <summary>Artifact ids are SHA-256 digests in canonical form; anything else never reaches the file system.</summary>
public static class ArtifactIds
{
    public static bool IsValid(string? id) => ImageDigest.IsCanonicalSha256Hex(id);

    public static string Of(ReadOnlySpan<byte> imageBytes) => ImageDigest.Sha256Hex(imageBytes);
}
