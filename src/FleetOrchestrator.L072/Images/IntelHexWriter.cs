using System.Globalization;
using System.Text;

namespace FleetOrchestrator.L072.Images;

/// <summary>
/// Writes Intel HEX (reference §8): type-04 extended linear address records, 16-byte type-00 data records,
/// an optional type-05 start linear address (the reset handler) and the type-01 EOF record.
/// </summary>
public static class IntelHexWriter
{
    public static string Write(ReadOnlySpan<byte> data, uint loadAddress, uint? startAddress = null)
    {
        var sb = new StringBuilder(data.Length * 3);
        uint? upper = null;
        for (int i = 0; i < data.Length; i += 16)
        {
            uint address = loadAddress + (uint)i;
            if (upper != address >> 16)
            {
                upper = address >> 16;
                Record(sb, 0, 0x04, [(byte)(upper.Value >> 8), (byte)upper.Value]);
            }
            int n = Math.Min(16, data.Length - i);
            // A record must not cross a 64 KB boundary; with 16-byte records from an aligned base it cannot.
            Record(sb, (ushort)address, 0x00, data.Slice(i, n));
        }
        if (startAddress is uint s)
            Record(sb, 0, 0x05, [(byte)(s >> 24), (byte)(s >> 16), (byte)(s >> 8), (byte)s]);
        sb.Append(":00000001FF\n");
        return sb.ToString();
    }

    private static void Record(StringBuilder sb, ushort address, byte type, ReadOnlySpan<byte> payload)
    {
        byte sum = (byte)(payload.Length + (address >> 8) + (address & 0xFF) + type);
        sb.Append(':').Append(((byte)payload.Length).ToString("X2", CultureInfo.InvariantCulture))
          .Append(address.ToString("X4", CultureInfo.InvariantCulture)).Append(type.ToString("X2", CultureInfo.InvariantCulture));
        foreach (byte b in payload)
        {
            sb.Append(b.ToString("X2", CultureInfo.InvariantCulture));
            sum += b;
        }
        sb.Append(((byte)-sum).ToString("X2", CultureInfo.InvariantCulture)).Append('\n');
    }
}
