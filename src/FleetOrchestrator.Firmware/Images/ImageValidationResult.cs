using FleetOrchestrator.Firmware.Crc;
using FleetOrchestrator.Firmware.Hashing;

namespace FleetOrchestrator.Firmware.Images;

/// <summary>
/// Everything learned about a candidate bank image, valid or not, with ALL problems found (not just the first),
/// so a user sees every fix they need at once. <see cref="Image"/> is set only when <see cref="Errors"/> is empty.
/// </summary>
/// <param name="Bytes">The flattened bytes from <see cref="LoadAddress"/> (gaps 0x00, length rounded up to a word);
/// null when there was nothing sensible to flatten (malformed HEX, no data, or a span far larger than a bank).</param>
/// <param name="Size">Bytes the image spans from its lowest to one past its highest address, rounded up to a word.</param>
public sealed record ImageValidationResult(
    ImageFormat Format,
    uint? LoadAddress,
    long Size,
    ReadOnlyMemory<byte>? Bytes,
    uint? InitialStackPointer,
    uint? ResetHandler,
    IReadOnlyList<string> Errors,
    FirmwareImage? Image)
{
    public bool IsValid => Errors.Count == 0 && Image is not null;

    /// <summary>The STM32 word-fed CRC over <see cref="Bytes"/>, as the device's CRC unit computes it over the bank.</summary>
    public uint? Crc32 => Bytes is { } b ? Stm32Crc.Compute(b.Span) : null;

    public string? Sha256 => Bytes is { } b ? ImageDigest.Sha256Hex(b.Span) : null;

    /// <summary>A result for input that could not be read as an image at all (e.g. malformed Intel HEX).</summary>
    public static ImageValidationResult Unreadable(ImageFormat format, string error) =>
        new(format, null, 0, null, null, null, [error], null);
}
