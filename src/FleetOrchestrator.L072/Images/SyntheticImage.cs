using System.Buffers.Binary;
using FleetOrchestrator.Firmware.Versioning;

namespace FleetOrchestrator.L072.Images;

/// <summary>
/// Builds simulation images: a valid L072 vector table linked for 0x0800_0000 (SP 0x2000_5000, odd reset handler
/// just past the marker), the <see cref="ImageMarker"/> at 0xC0, then deterministic pseudo-random "code" seeded by
/// the version so that two versions differ in every page (the worst case for page sharing).
/// </summary>
public static class SyntheticImage
{
    public const uint LinkAddress = 0x0800_0000;
    public const uint InitialStackPointer = 0x2000_5000;
    /// <summary>Reset handler right after the marker, with the Thumb bit.</summary>
    public const uint ResetHandler = LinkAddress + ImageMarker.Offset + ImageMarker.Size + 1;
    private const int VectorCount = ImageMarker.Offset / 4; // 16 system + 32 IRQ vectors on Cortex-M0+ L0

    public static byte[] Create(SemanticVersion version, ImageBehaviour behaviour = ImageBehaviour.Boots, int size = 96 * 1024, bool lacksVtorFix = false)
    {
        int minimum = ImageMarker.Offset + ImageMarker.Size + 4;
        if (size < minimum || size % 4 != 0)
            throw new ArgumentOutOfRangeException(nameof(size), size, $"an image is a multiple of 4 bytes and at least {minimum} bytes");
        var image = new byte[size];
        BinaryPrimitives.WriteUInt32LittleEndian(image, InitialStackPointer);
        for (int v = 1; v < VectorCount; v++)
            BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(v * 4), ResetHandler);
        new ImageMarker(version, behaviour, lacksVtorFix, size).WriteTo(image.AsSpan(ImageMarker.Offset));
        var code = image.AsSpan(minimum - 4);
        // Seeded from the identity with fixed arithmetic (HashCode is randomised per process): same inputs, same bytes.
        int seed = unchecked(version.Major * 1_000_003 ^ version.Minor * 10_007 ^ version.Patch * 101 ^ (int)behaviour * 7 ^ (lacksVtorFix ? 1 : 0));
        new Random(seed).NextBytes(code);
        // Keep the last word non-zero so that trimming trailing erased bytes gives the exact size back.
        if (BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(size - 4)) == 0) image[size - 1] = 0xA5;
        return image;
    }
}
