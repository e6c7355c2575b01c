using FleetOrchestrator.Firmware.Hex;

namespace FleetOrchestrator.Firmware.Tests.Hex;

/// <summary>Every rejection names the 1-based line and the cause.</summary>
public class IntelHexReaderErrorTests
{
    private const string Ela = ":020000040800F2";
    private const string Data = ":0800000000500020C1000008BF";
    private const string Eof = ":00000001FF";

    private static IntelHexFormatException Reject(string text)
    {
        var e = Assert.Throws<IntelHexFormatException>(() => IntelHexReader.Parse(text));
        Assert.StartsWith($"line {e.Line}: ", e.Message, StringComparison.Ordinal);
        Assert.EndsWith(e.Reason, e.Message, StringComparison.Ordinal);
        return e;
    }

    private static void AssertError(string text, int line, string reason)
    {
        var e = Reject(text);
        Assert.Equal(line, e.Line);
        Assert.Equal(reason, e.Reason);
    }

    [Fact]
    public void Wrong_checksum_names_stated_and_computed_values() =>
        AssertError($"{Ela}\n:0800000000500020C1000008BE\n{Eof}", 2, "checksum 0xBE does not match computed 0xBF");

    [Fact]
    public void Checksum_error_on_line_17()
    {
        var lines = Enumerable.Repeat(Ela, 16).Append(":0100000000FE").Append(Eof);
        AssertError(string.Join("\n", lines), 17, "checksum 0xFE does not match computed 0xFF");
    }

    [Fact]
    public void Missing_eof_names_the_line_after_the_last() =>
        AssertError($"{Ela}\n{Data}\n", 3, "input ends without an end-of-file record (:00000001FF)");

    [Fact]
    public void Empty_input_is_missing_its_eof_on_line_1() =>
        AssertError("", 1, "input is empty; an Intel HEX file ends with the end-of-file record :00000001FF");

    [Fact]
    public void Only_blank_lines_is_missing_eof() =>
        AssertError("\n\n\n", 4, "input ends without an end-of-file record (:00000001FF)");

    [Fact]
    public void Data_after_eof_names_the_eof_line() =>
        AssertError($"{Ela}\n{Eof}\n\n{Data}\n", 4, "data after the end-of-file record on line 2");

    [Fact]
    public void Second_eof_is_data_after_eof() =>
        AssertError($"{Eof}\n{Eof}", 2, "data after the end-of-file record on line 1");

    [Fact]
    public void Non_hex_character_names_character_and_column() =>
        AssertError($"{Ela}\n:08000000005G0020C1000008BF\n{Eof}", 2, "non-hex character 'G' at column 13");

    [Fact]
    public void Control_and_non_ascii_characters_are_shown_as_code_points()
    {
        AssertError($":0000\u00E90001FF\n", 1, "non-hex character U+00E9 at column 6");
        AssertError($"{Ela}\r\r\n{Eof}", 1, "non-hex character U+000D at column 16");
        AssertError($"{Ela} x\n{Eof}", 1, "non-hex character U+0020 at column 16");
    }

    [Fact]
    public void Missing_colon() =>
        AssertError($"{Ela}\n0800000000500020C1000008BF\n{Eof}", 2, "a record starts with ':', found '0'");

    [Fact]
    public void Odd_number_of_digits() =>
        AssertError($"{Ela}\n:0800000000500020C1000008B\n{Eof}", 2, "odd number of hex digits (25) after ':'; every byte takes two");

    [Fact]
    public void Record_too_short() =>
        AssertError($":000000FF\n{Eof}", 1, "record too short: 4 bytes, a record needs at least 5 (byte count, address, type, checksum)");

    [Fact]
    public void Byte_count_larger_than_the_line() =>
        AssertError($"{Ela}\n:1000000000500020C1000008B7\n{Eof}", 2, "byte count 0x10 says 16 data bytes but the record holds 8");

    [Fact]
    public void Byte_count_smaller_than_the_line() =>
        AssertError($"{Ela}\n:0400000000500020C1000008C3\n{Eof}", 2, "byte count 0x04 says 4 data bytes but the record holds 8");

    [Fact]
    public void Unknown_record_type() =>
        AssertError(":00000006FA\n:00000001FF", 1, "unknown record type 0x06 (Intel HEX defines 00 to 05)");

    [Theory]
    [InlineData(IntelHexRecordType.EndOfFile, 1, "end-of-file record must carry 0 data bytes, this one has 1")]
    [InlineData(IntelHexRecordType.ExtendedSegmentAddress, 3, "extended segment address (02) record must carry 2 data bytes, this one has 3")]
    [InlineData(IntelHexRecordType.ExtendedLinearAddress, 1, "extended linear address (04) record must carry 2 data bytes, this one has 1")]
    [InlineData(IntelHexRecordType.StartSegmentAddress, 2, "start segment address (03) record must carry 4 data bytes, this one has 2")]
    [InlineData(IntelHexRecordType.StartLinearAddress, 5, "start linear address (05) record must carry 4 data bytes, this one has 5")]
    public void Address_and_eof_records_must_have_their_exact_length(IntelHexRecordType type, int length, string reason) =>
        AssertError($"{Ela}\n{IntelHexWriter.FormatRecord(0, type, new byte[length])}\n{Eof}", 2, reason);

    [Fact]
    public void Conflicting_overlap_names_both_lines_address_and_values()
    {
        var text = string.Join("\n", Ela, IntelHexWriter.FormatRecord(0x10, IntelHexRecordType.Data, [1, 2, 3, 4]),
            IntelHexWriter.FormatRecord(0x12, IntelHexRecordType.Data, [3, 9]), Eof);
        AssertError(text, 3, "byte at 0x08000013 is 0x09 here but 0x04 on line 2 (overlapping data records disagree)");
    }

    [Fact]
    public void Conflicting_start_linear_addresses()
    {
        var text = string.Join("\n", IntelHexWriter.FormatRecord(0, IntelHexRecordType.StartLinearAddress, [0x08, 0, 0, 0xC1]),
            IntelHexWriter.FormatRecord(0, IntelHexRecordType.StartLinearAddress, [0x08, 0, 0, 0xC3]), Eof);
        AssertError(text, 2, "start linear address 0x080000C3 conflicts with 0x080000C1 on line 1");
    }

    [Fact]
    public void Conflicting_start_segment_addresses()
    {
        var text = string.Join("\n", IntelHexWriter.FormatRecord(0, IntelHexRecordType.StartSegmentAddress, [0, 1, 0, 2]),
            IntelHexWriter.FormatRecord(0, IntelHexRecordType.StartSegmentAddress, [0, 1, 0, 3]), Eof);
        AssertError(text, 2, "start segment address 0001:0003 conflicts with 0001:0002 on line 1");
    }

    [Fact]
    public void Record_crossing_its_64_KB_window() =>
        AssertError($"{Ela}\n{IntelHexWriter.FormatRecord(0xFFFC, IntelHexRecordType.Data, new byte[8])}\n{Eof}", 2,
            "data record at offset 0xFFFC with 8 bytes runs past the end of its 64 KB address window");

    [Fact]
    public void Overlong_line_is_refused_without_reading_it_all() =>
        AssertError($"{Ela}\n:{new string('0', 5000)}\n{Eof}", 2, "line is longer than 1024 characters; the longest valid record has 521");

    [Fact]
    public void Malformed_utf8_bytes_in_a_stream_are_reported_as_characters()
    {
        using var stream = new MemoryStream([.. ":0000"u8, 0xFF, .. "0001FF\n"u8]);
        var e = Assert.Throws<IntelHexFormatException>(() => IntelHexReader.Read(stream));
        Assert.Equal(1, e.Line);
        Assert.Equal("non-hex character U+FFFD at column 6", e.Reason);
    }
}
