using System.Buffers.Binary;
using System.Text;
using FleetOrchestrator.Firmware.Hex;

namespace FleetOrchestrator.Server.Tests.Support;

/// <summary>Small synthetic bank images: a valid Cortex-M0+ vector table (SP 0x20005000, reset 0x080000C1) and a byte pattern.</summary>
internal static class TestImages
{
    public const uint StackPointer = 0x2000_5000;
    public const uint ResetHandler = 0x0800_00C1;

    public static byte[] ValidBin(int size = 4096, byte seed = 1)
    {
        var bytes = new byte[size];
        for (int i = 8; i < size; i++) bytes[i] = (byte)((i * 31) + seed);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, StackPointer);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), ResetHandler);
        return bytes;
    }

    /// <summary>The bytes as Intel HEX placed at <paramref name="address"/>.</summary>
    public static byte[] Hex(byte[] image, uint address = 0x0800_0000) =>
        Encoding.ASCII.GetBytes(IntelHexWriter.Write([new HexSegment(address, image)]));

    /// <summary>A HEX file whose given 1-based line has a wrong checksum.</summary>
    public static byte[] HexWithBadChecksumOnLine(byte[] image, int line)
    {
        var lines = Encoding.ASCII.GetString(Hex(image)).Split('\n');
        var target = lines[line - 1];
        char last = target[^1];
        lines[line - 1] = target[..^1] + (last == '0' ? '1' : '0');
        return Encoding.ASCII.GetBytes(string.Join('\n', lines));
    }
}
