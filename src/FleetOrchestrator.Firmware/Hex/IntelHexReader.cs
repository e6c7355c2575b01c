using System.Buffers;
using System.Globalization;
using System.Text;

namespace FleetOrchestrator.Firmware.Hex;

/// <summary>
/// Strict reader for 32-bit Intel HEX (record types 00-05). On any malformed input it throws
/// <see cref="IntelHexFormatException"/> naming the 1-based line and the cause; no other exception escapes for
/// any input text (I/O errors of the underlying stream are not input and pass through).
/// </summary>
/// <remarks>
/// Policy: LF and CRLF line ends; lines that are empty or only spaces/tabs are ignored anywhere; trailing
/// spaces/tabs after a record are ignored; hex digits may be upper or lower case. Overlapping data records are
/// accepted when they agree byte for byte and rejected when they disagree. A record must not run past the end of
/// its 64 KB address window (tools split records there). Exactly one end-of-file record must end the data.
/// The address field of non-data records carries no meaning and is ignored, as objcopy and srec_cat write 0000.
/// </remarks>
public static class IntelHexReader
{
    /// <summary>Longest physical line accepted: a full 255-byte record is 521 characters; the rest is slack for whitespace.</summary>
    public const int MaxLineLength = 1024;

    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789ABCDEFabcdef");

    public static IntelHexFile Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        using var reader = new StringReader(text);
        return Read(reader);
    }

    /// <summary>Reads UTF-8/ASCII text from <paramref name="stream"/> (left open). Invalid bytes surface as non-hex characters.</summary>
    public static IntelHexFile Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var reader = new StreamReader(stream, new UTF8Encoding(false, false), detectEncodingFromByteOrderMarks: false, bufferSize: 16 * 1024, leaveOpen: true);
        return Read(reader);
    }

    public static IntelHexFile Read(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var state = new ParseState();
        var lines = new HexLineReader(reader);
        int lineNumber = 0;
        while (lines.ReadLine(lineNumber + 1))
        {
            lineNumber++;
            state.Accept(lines.Line, lineNumber);
        }
        if (state.EndOfFileLine == 0)
        {
            throw new IntelHexFormatException(lineNumber + 1, lineNumber == 0
                ? "input is empty; an Intel HEX file ends with the end-of-file record :00000001FF"
                : "input ends without an end-of-file record (:00000001FF)");
        }
        return new IntelHexFile(state.Memory.ToSegments(), state.StartLinear, state.StartSegment);
    }

    private sealed class ParseState
    {
        public readonly HexMemoryMap Memory = new();
        public int EndOfFileLine;
        public uint? StartLinear;
        public StartSegmentAddress? StartSegment;
        private int _startLinearLine, _startSegmentLine;
        private uint _base; // set by 02 (segment << 4) or 04 (upper << 16)
        private readonly byte[] _bytes = new byte[MaxLineLength / 2];

        public void Accept(ReadOnlySpan<char> text, int line)
        {
            int length = text.Length;
            while (length > 0 && (text[length - 1] == ' ' || text[length - 1] == '\t')) length--;
            if (length == 0) return;

            if (EndOfFileLine != 0) throw new IntelHexFormatException(line, $"data after the end-of-file record on line {EndOfFileLine}");
            if (text[0] != ':') throw new IntelHexFormatException(line, $"a record starts with ':', found {Describe(text[0])}");

            int digits = length - 1;
            int bad = text[1..length].IndexOfAnyExcept(HexDigits);
            if (bad >= 0) throw new IntelHexFormatException(line, $"non-hex character {Describe(text[1 + bad])} at column {bad + 2}");
            if (digits % 2 != 0) throw new IntelHexFormatException(line, $"odd number of hex digits ({digits}) after ':'; every byte takes two");
            int count = digits / 2;
            if (count < 5) throw new IntelHexFormatException(line, $"record too short: {count} bytes, a record needs at least 5 (byte count, address, type, checksum)");
            Convert.FromHexString(text[1..length], _bytes, out _, out _); // digits already checked, cannot fail

            int dataLength = _bytes[0];
            if (count != dataLength + 5)
            {
                throw new IntelHexFormatException(line, $"byte count 0x{dataLength:X2} says {dataLength} data bytes but the record holds {count - 5}");
            }
            byte sum = 0;
            for (int i = 0; i < count - 1; i++) sum += _bytes[i];
            byte computed = (byte)(0x100 - sum);
            byte stated = _bytes[count - 1];
            if (stated != computed) throw new IntelHexFormatException(line, $"checksum 0x{stated:X2} does not match computed 0x{computed:X2}");

            ushort offset = (ushort)((_bytes[1] << 8) | _bytes[2]);
            byte type = _bytes[3];
            var data = _bytes.AsSpan(4, dataLength);
            switch ((IntelHexRecordType)type)
            {
                case IntelHexRecordType.Data:
                    AcceptData(offset, data, line);
                    break;
                case IntelHexRecordType.EndOfFile:
                    RequireLength(line, "end-of-file", dataLength, 0);
                    EndOfFileLine = line;
                    break;
                case IntelHexRecordType.ExtendedSegmentAddress:
                    RequireLength(line, "extended segment address (02)", dataLength, 2);
                    _base = (uint)((data[0] << 8) | data[1]) << 4;
                    break;
                case IntelHexRecordType.ExtendedLinearAddress:
                    RequireLength(line, "extended linear address (04)", dataLength, 2);
                    _base = (uint)((data[0] << 8) | data[1]) << 16;
                    break;
                case IntelHexRecordType.StartSegmentAddress:
                    RequireLength(line, "start segment address (03)", dataLength, 4);
                    var csip = new StartSegmentAddress((ushort)((data[0] << 8) | data[1]), (ushort)((data[2] << 8) | data[3]));
                    if (StartSegment is { } earlierSegment && earlierSegment != csip)
                    {
                        throw new IntelHexFormatException(line, $"start segment address {csip.CodeSegment:X4}:{csip.InstructionPointer:X4} conflicts with {earlierSegment.CodeSegment:X4}:{earlierSegment.InstructionPointer:X4} on line {_startSegmentLine}");
                    }
                    StartSegment = csip;
                    _startSegmentLine = _startSegmentLine == 0 ? line : _startSegmentLine;
                    break;
                case IntelHexRecordType.StartLinearAddress:
                    RequireLength(line, "start linear address (05)", dataLength, 4);
                    uint entry = (uint)((data[0] << 24) | (data[1] << 16) | (data[2] << 8) | data[3]);
                    if (StartLinear is { } earlier && earlier != entry)
                    {
                        throw new IntelHexFormatException(line, $"start linear address 0x{entry:X8} conflicts with 0x{earlier:X8} on line {_startLinearLine}");
                    }
                    StartLinear = entry;
                    _startLinearLine = _startLinearLine == 0 ? line : _startLinearLine;
                    break;
                default:
                    throw new IntelHexFormatException(line, $"unknown record type 0x{type:X2} (Intel HEX defines 00 to 05)");
            }
        }

        private void AcceptData(ushort offset, ReadOnlySpan<byte> data, int line)
        {
            if (offset + data.Length > 0x1_0000)
            {
                throw new IntelHexFormatException(line, $"data record at offset 0x{offset:X4} with {data.Length} bytes runs past the end of its 64 KB address window");
            }
            uint start = _base + offset; // cannot overflow: base <= 0xFFFF0000 and offset + length <= 0x10000
            if (Memory.Write(start, data, line) is { } conflict)
            {
                throw new IntelHexFormatException(line, $"byte at 0x{conflict.Address:X8} is 0x{conflict.Value:X2} here but 0x{conflict.EarlierValue:X2} on line {conflict.EarlierLine} (overlapping data records disagree)");
            }
        }

        private static void RequireLength(int line, string record, int actual, int expected)
        {
            if (actual != expected)
            {
                throw new IntelHexFormatException(line, $"{record} record must carry {expected} data bytes, this one has {actual}");
            }
        }

        private static string Describe(char c) =>
            char.IsControl(c) || char.IsWhiteSpace(c) || c > '~'
                ? string.Create(CultureInfo.InvariantCulture, $"U+{(int)c:X4}")
                : $"'{c}'";
    }
}
