using System.Text;
using FleetOrchestrator.Firmware.Hashing;
using FleetOrchestrator.Firmware.Manifests;

namespace FleetOrchestrator.Server.Artifacts;

/// <summary>
/// Artifact ids are SHA-256 digests in canonical form; anything else never reaches the file system. An artifact is one
/// image for one hardware target: for the default target (<see cref="FirmwareManifest.DefaultHardwareTarget"/>) the
/// id is the image's SHA-256 (as it always was, so existing stores keep their ids); for any other target it is the
/// SHA-256 of <c>{image SHA-256}:{target}</c>, so the same bytes can be stored for several targets.
/// </summary>
public static class ArtifactIds
{
    public static bool IsValid(string? id) => ImageDigest.IsCanonicalSha256Hex(id);

    /// <summary>The id of <paramref name="imageBytes"/> for <paramref name="hardwareTarget"/> (default: the default
    /// target).</summary>
    public static string Of(ReadOnlySpan<byte> imageBytes,
        string hardwareTarget = FirmwareManifest.DefaultHardwareTarget) =>
        Of(ImageDigest.Sha256Hex(imageBytes), hardwareTarget);

    public static string Of(string imageSha256, string hardwareTarget)
    {
        ArgumentException.ThrowIfNullOrEmpty(imageSha256);
        ArgumentException.ThrowIfNullOrEmpty(hardwareTarget);
        return hardwareTarget == FirmwareManifest.DefaultHardwareTarget
            ? imageSha256
            : ImageDigest.Sha256Hex(Encoding.UTF8.GetBytes($"{imageSha256}:{hardwareTarget}"));
    }
}
