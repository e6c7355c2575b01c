using System.Globalization;
using System.Text;

namespace FleetOrchestrator.Firmware.Hex;

/// <summary>
/// Writes 32-bit Intel HEX the way objcopy does: an extended linear address (04) record whenever the upper 16
/// address bits change, data records of at most <c>bytesPerRecord</c> bytes that never cross a 64 KB window,
/// an optional start linear address (05), and the end-of-file record.
/// </summary>
public static class IntelHexWriter
{
    public static string Write(IEnumerable<HexSegment> segments, uint? startLinearAddress = null, int bytesPerRecord = 16, string newline = "\n")
    {
        ArgumentNullException.ThrowIfNull(segments);
        ArgumentOutOfRangeException.ThrowIfLessThan(bytesPerRecord, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bytesPerRecord, 255);
        var text = new StringBuilder();
        int? upper = null;
        foreach (var segment in segments)
        {
            var data = segment.Data.Span;
            long address = segment.Address;
            int i = 0;
            while (i < data.Length)
            {
                int high = (int)(address >> 16);
                if (high != upper)
                {
                    AppendRecord(text, 0, IntelHexRecordType.ExtendedLinearAddress, [(byte)(high >> 8), (byte)high], newline);
                    upper = high;
                }
                int offset = (int)(address & 0xFFFF);
                int n = Math.Min(Math.Min(bytesPerRecord, data.Length - i), 0x1_0000 - offset);
                AppendRecord(text, (ushort)offset, IntelHexRecordType.Data, data.Slice(i, n), newline);
                i += n;
                address += n;
            }
        }
        if (startLinearAddress is { } entry)
        {
            AppendRecord(text, 0, IntelHexRecordType.StartLinearAddress, [(byte)(entry >> 24), (byte)(entry >> 16), (byte)(entry >> 8), (byte)entry], newline);
        }
        AppendRecord(text, 0, IntelHexRecordType.EndOfFile, [], newline);
        return text.ToString();
    }

    /// <summary>One record line: ":" count address type data checksum.</summary>
    public static string FormatRecord(ushort address, IntelHexRecordType type, ReadOnlySpan<byte> data)
    {
        var text = new StringBuilder();
        AppendRecord(text, address, type, data, "");
        return text.ToString();
    }

    private static void AppendRecord(StringBuilder text, ushort address, IntelHexRecordType type, ReadOnlySpan<byte> data, string newline)
    {
        byte sum = (byte)(data.Length + (address >> 8) + (address & 0xFF) + (byte)type);
        text.Append(':').Append(CultureInfo.InvariantCulture, $"{data.Length:X2}{address:X4}{(byte)type:X2}");
        foreach (var b in data)
        {
            text.Append(CultureInfo.InvariantCulture, $"{b:X2}");
            sum += b;
        }
        text.Append(CultureInfo.InvariantCulture, $"{(byte)(0x100 - sum):X2}").Append(newline);
    }
}
