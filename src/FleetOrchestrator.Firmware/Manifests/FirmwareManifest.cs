using FleetOrchestrator.Firmware.Images;
using FleetOrchestrator.Firmware.Versioning;

namespace FleetOrchestrator.Firmware.Manifests;

/// <summary>
/// What a device is told about an image before it accepts it. Signed as its canonical JSON
/// (<see cref="ManifestJson.ToCanonicalJson"/>); the key id says which public key verifies it.
/// </summary>
/// <param name="ImageSha256">SHA-256 of the image bytes, 64 lower-case hex digits.</param>
/// <param name="Size">Image size in bytes (what the device writes into the inactive bank).</param>
/// <param name="Crc32">The STM32 CRC unit's word-fed CRC over the image, what the device reports after staging.</param>
public sealed record FirmwareManifest(
    string ImageSha256,
    int Size,
    uint Crc32,
    SemanticVersion Version,
    string HardwareTarget,
    SemanticVersion MinimumBootloader,
    bool DowngradeAllowed,
    string KeyId)
{
    public const string DefaultHardwareTarget = "stm32l072cz";

    /// <summary>A manifest describing <paramref name="image"/>; the key id is filled in when it is signed.</summary>
    public static FirmwareManifest Describe(
        FirmwareImage image, SemanticVersion version, string hardwareTarget, SemanticVersion minimumBootloader, bool downgradeAllowed)
    {
        ArgumentNullException.ThrowIfNull(image);
        return new FirmwareManifest(
            Hashing.ImageDigest.Sha256Hex(image.Bytes.Span), image.Size, image.Crc32, version, hardwareTarget, minimumBootloader, downgradeAllowed, KeyId: "");
    }
}
