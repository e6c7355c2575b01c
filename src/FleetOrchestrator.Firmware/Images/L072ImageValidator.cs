using System.Buffers.Binary;
using System.Globalization;
using FleetOrchestrator.Firmware.Hex;

namespace FleetOrchestrator.Firmware.Images;

/// <summary>
/// Decides whether content can be written into an STM32L072xZ bank and boot after the swap: linked at
/// 0x0800_0000, no larger than one bank, with a plausible Cortex-M0+ vector table.
/// </summary>
public static class L072ImageValidator
{
    /// <summary>Spans beyond this are not flattened (a stray record at a far address must not allocate gigabytes).</summary>
    public const long MaxFlattenedSpan = 16L * 1024 * 1024;

    /// <summary>A raw binary has no addresses: it is taken as linked at <see cref="L072Bank.LinkAddress"/>.</summary>
    public static ImageValidationResult ValidateBinary(ReadOnlyMemory<byte> bin) =>
        Validate(ImageFormat.Binary, L072Bank.LinkAddress, PadToWord(bin));

    public static ImageValidationResult ValidateIntelHex(IntelHexFile hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        if (hex.LowestAddress is not { } low || hex.EndExclusive is not { } end)
        {
            return new ImageValidationResult(ImageFormat.IntelHex, null, 0, null, null, null, ["the HEX file holds no data records"], null);
        }
        long span = RoundUpToWord(end - low);
        if (span > MaxFlattenedSpan)
        {
            var errors = new List<string>();
            AddLoadAddressErrors(low, errors);
            errors.Add(string.Create(CultureInfo.InvariantCulture,
                $"data spans {span:N0} bytes (0x{low:X8} to 0x{end - 1:X8}), far more than one {L072Bank.Size:N0}-byte bank"));
            return new ImageValidationResult(ImageFormat.IntelHex, low, span, null, null, null, errors, null);
        }
        var bytes = new byte[span];
        bytes.AsSpan().Fill(L072Bank.ErasedValue); // gaps read as erased flash
        foreach (var segment in hex.Segments) segment.Data.Span.CopyTo(bytes.AsSpan((int)(segment.Address - low)));
        return Validate(ImageFormat.IntelHex, low, bytes);
    }

    private static ImageValidationResult Validate(ImageFormat format, uint loadAddress, ReadOnlyMemory<byte> bytes)
    {
        var errors = new List<string>();
        if (bytes.Length == 0)
        {
            errors.Add("the image is empty");
            return new ImageValidationResult(format, loadAddress, 0, bytes, null, null, errors, null);
        }
        AddLoadAddressErrors(loadAddress, errors);
        if (bytes.Length > L072Bank.Size)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture,
                $"image is {bytes.Length:N0} bytes, {bytes.Length - L072Bank.Size:N0} bytes too large for one {L072Bank.Size:N0}-byte bank"));
        }

        uint? sp = null, reset = null;
        if (bytes.Length < 8)
        {
            errors.Add($"image is {bytes.Length} bytes, too short for a vector table (initial stack pointer and reset handler take 8)");
        }
        else
        {
            sp = BinaryPrimitives.ReadUInt32LittleEndian(bytes.Span);
            reset = BinaryPrimitives.ReadUInt32LittleEndian(bytes.Span[4..]);
            AddVectorTableErrors(sp.Value, reset.Value, loadAddress, bytes.Length, errors);
        }

        var image = errors.Count == 0 ? new FirmwareImage(bytes, loadAddress, format) : null;
        return new ImageValidationResult(format, loadAddress, bytes.Length, bytes, sp, reset, errors, image);
    }

    private static void AddLoadAddressErrors(uint loadAddress, List<string> errors)
    {
        if (loadAddress == L072Bank.LinkAddress) return;
        if (loadAddress == L072Bank.InactiveBankAddress)
        {
            errors.Add($"image is linked at 0x{L072Bank.InactiveBankAddress:X8}, the second bank's address, but both banks execute at " +
                       $"0x{L072Bank.LinkAddress:X8} after the bank swap, so it would not run; relink it at 0x{L072Bank.LinkAddress:X8} " +
                       $"(the orchestrator writes it into the inactive bank itself)");
            return;
        }
        errors.Add($"image starts at 0x{loadAddress:X8} but an L072 bank image must be linked at 0x{L072Bank.LinkAddress:X8} " +
                   "with its vector table as the first bytes");
    }

    private static void AddVectorTableErrors(uint sp, uint reset, uint loadAddress, int size, List<string> errors)
    {
        if (sp % 4 != 0)
        {
            errors.Add($"initial stack pointer 0x{sp:X8} is not word-aligned");
        }
        if (sp <= L072Bank.SramStart || sp > L072Bank.SramEnd)
        {
            errors.Add($"initial stack pointer 0x{sp:X8} is outside SRAM (0x{L072Bank.SramStart:X8}, 0x{L072Bank.SramEnd:X8}]; " +
                       "the boot ROM treats such a bank as empty");
        }
        if ((reset & 1) == 0)
        {
            errors.Add($"reset handler 0x{reset:X8} is even; the Cortex-M0+ runs Thumb code only, so bit 0 must be set");
        }
        uint target = reset & ~1u;
        if (target < loadAddress || (long)target >= (long)loadAddress + size)
        {
            errors.Add($"reset handler 0x{reset:X8} points outside the image (0x{loadAddress:X8} to 0x{(long)loadAddress + size - 1:X8})");
        }
    }

    private static long RoundUpToWord(long n) => (n + 3) & ~3L;

    private static ReadOnlyMemory<byte> PadToWord(ReadOnlyMemory<byte> bin)
    {
        if (bin.Length % 4 == 0) return bin;
        var padded = new byte[RoundUpToWord(bin.Length)];
        padded.AsSpan().Fill(L072Bank.ErasedValue);
        bin.Span.CopyTo(padded);
        return padded;
    }
}
