using FleetOrchestrator.Firmware.Hex;

namespace FleetOrchestrator.Firmware.Images;

/// <summary>
/// Reads an image file's content (.hex Intel HEX or .bin raw binary) and validates it for an L072 bank.
/// The format is taken from the extension when it is a known one, otherwise from the content. Malformed HEX does
/// not throw: it becomes a result whose single error is the reader's line-numbered message.
/// </summary>
public static class ImageFileReader
{
    private static readonly string[] HexExtensions = [".hex", ".ihex", ".ihx", ".h86"];
    private static readonly string[] BinaryExtensions = [".bin", ".img"];

    public static ImageFormat DetectFormat(string fileName, ReadOnlySpan<byte> content)
    {
        string extension = Path.GetExtension(fileName);
        if (HexExtensions.Contains(extension, StringComparer.OrdinalIgnoreCase)) return ImageFormat.IntelHex;
        if (BinaryExtensions.Contains(extension, StringComparer.OrdinalIgnoreCase)) return ImageFormat.Binary;
        // Intel HEX is printable ASCII starting with ':'; a binary vector table is never that.
        var trimmed = content.TrimStart(" \t\r\n"u8);
        if (trimmed.Length == 0 || trimmed[0] != (byte)':') return ImageFormat.Binary;
        foreach (var b in content)
        {
            if (b is not (>= 0x20 and < 0x7F) and not (byte)'\r' and not (byte)'\n' and not (byte)'\t') return ImageFormat.Binary;
        }
        return ImageFormat.IntelHex;
    }

    public static ImageValidationResult Read(string fileName, ReadOnlyMemory<byte> content)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        var format = DetectFormat(fileName, content.Span);
        if (format == ImageFormat.Binary) return L072ImageValidator.ValidateBinary(content);
        IntelHexFile hex;
        try
        {
            using var stream = new MemoryStream(content.ToArray(), writable: false);
            hex = IntelHexReader.Read(stream);
        }
        catch (IntelHexFormatException e)
        {
            return ImageValidationResult.Unreadable(ImageFormat.IntelHex, e.Message);
        }
        return L072ImageValidator.ValidateIntelHex(hex);
    }

    /// <summary>Reads the whole stream (left open) and validates it.</summary>
    public static ImageValidationResult Read(string fileName, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return Read(fileName, buffer.ToArray());
    }
}
