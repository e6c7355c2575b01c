using FleetOrchestrator.Firmware.Hex;

namespace FleetOrchestrator.Firmware.Tests.Hex;

public class IntelHexReaderRecordTests
{
    private const string Eof = ":00000001FF";

    private static string Record(ushort address, IntelHexRecordType type, params byte[] data) => IntelHexWriter.FormatRecord(address, type, data);

    [Fact]
    public void Data_records_without_extended_address_start_at_zero()
    {
        var hex = IntelHexReader.Parse($"{Record(0x0010, IntelHexRecordType.Data, 1, 2, 3)}\n{Eof}\n");
        var segment = Assert.Single(hex.Segments);
        Assert.Equal(0x10u, segment.Address);
        Assert.Equal(new byte[] { 1, 2, 3 }, segment.Data.ToArray());
    }

    [Fact]
    public void Extended_linear_address_sets_the_upper_16_bits()
    {
        var hex = IntelHexReader.Parse(":020000040800F2\n:0800000000500020C1000008BF\n:00000001FF\n");
        var segment = Assert.Single(hex.Segments);
        Assert.Equal(0x0800_0000u, segment.Address);
        Assert.Equal(new byte[] { 0x00, 0x50, 0x00, 0x20, 0xC1, 0x00, 0x00, 0x08 }, segment.Data.ToArray());
    }

    [Fact]
    public void Extended_segment_address_shifts_the_segment_by_4_bits()
    {
        var text = string.Join("\n", Record(0, IntelHexRecordType.ExtendedSegmentAddress, 0x12, 0x34), Record(0x0005, IntelHexRecordType.Data, 0xAA), Eof);
        var segment = Assert.Single(IntelHexReader.Parse(text).Segments);
        Assert.Equal(0x12345u, segment.Address);
    }

    [Fact]
    public void A_later_extended_address_record_replaces_the_earlier_base()
    {
        var text = string.Join("\n",
            Record(0, IntelHexRecordType.ExtendedSegmentAddress, 0x10, 0x00), Record(0, IntelHexRecordType.Data, 1),
            Record(0, IntelHexRecordType.ExtendedLinearAddress, 0x08, 0x01), Record(0, IntelHexRecordType.Data, 2), Eof);
        var hex = IntelHexReader.Parse(text);
        Assert.Equal(new uint[] { 0x1_0000, 0x0801_0000 }, hex.Segments.Select(s => s.Address));
    }

    [Fact]
    public void Start_linear_address_is_reported()
    {
        var hex = IntelHexReader.Parse(":020000040800F2\n:0800000000500020C1000008BF\n:04000005080000C12E\n:00000001FF\n");
        Assert.Equal(0x0800_00C1u, hex.StartLinearAddress);
        Assert.Null(hex.StartSegmentAddress);
    }

    [Fact]
    public void Start_segment_address_is_reported()
    {
        var hex = IntelHexReader.Parse($"{Record(0, IntelHexRecordType.StartSegmentAddress, 0x12, 0x34, 0x56, 0x78)}\n{Eof}");
        Assert.Equal(new StartSegmentAddress(0x1234, 0x5678), hex.StartSegmentAddress);
        Assert.True(hex.IsEmpty);
    }

    [Fact]
    public void Repeating_an_identical_start_address_is_accepted()
    {
        var start = Record(0, IntelHexRecordType.StartLinearAddress, 0x08, 0, 0, 0xC1);
        Assert.Equal(0x0800_00C1u, IntelHexReader.Parse($"{start}\n{start}\n{Eof}").StartLinearAddress);
    }

    [Fact]
    public void Crlf_and_lf_files_read_the_same()
    {
        var lines = new[] { ":020000040800F2", ":0800000000500020C1000008BF", ":00000001FF" };
        var lf = IntelHexReader.Parse(string.Join("\n", lines) + "\n");
        var crlf = IntelHexReader.Parse(string.Join("\r\n", lines) + "\r\n");
        Assert.Equal(lf.Segments.Single().Data.ToArray(), crlf.Segments.Single().Data.ToArray());
        Assert.Equal(lf.Segments.Single().Address, crlf.Segments.Single().Address);
    }

    [Fact]
    public void Lower_case_hex_digits_are_accepted()
    {
        var hex = IntelHexReader.Parse(":020000040800f2\n:0800000000500020c1000008bf\n:00000001ff");
        Assert.Equal(0x0800_0000u, hex.Segments.Single().Address);
    }

    [Fact]
    public void Blank_lines_and_trailing_whitespace_are_ignored_even_after_eof()
    {
        var hex = IntelHexReader.Parse("\n:020000040800F2  \r\n\n \t\n:0800000000500020C1000008BF\t\n:00000001FF\n\n\n");
        Assert.Equal(8, hex.Segments.Single().Data.Length);
    }

    [Fact]
    public void Adjacent_records_merge_into_one_segment_and_gaps_split_segments()
    {
        var text = string.Join("\n",
            Record(0x0000, IntelHexRecordType.Data, 1, 2), Record(0x0002, IntelHexRecordType.Data, 3, 4),
            Record(0x0100, IntelHexRecordType.Data, 9), Eof);
        var hex = IntelHexReader.Parse(text);
        Assert.Equal(2, hex.Segments.Count);
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, hex.Segments[0].Data.ToArray());
        Assert.Equal(0x100u, hex.Segments[1].Address);
        Assert.Equal(5, hex.DataByteCount);
    }

    [Fact]
    public void Records_out_of_address_order_are_sorted()
    {
        var text = string.Join("\n", Record(0x0010, IntelHexRecordType.Data, 2), Record(0x0000, IntelHexRecordType.Data, 1), Eof);
        Assert.Equal(new uint[] { 0x00, 0x10 }, IntelHexReader.Parse(text).Segments.Select(s => s.Address));
    }

    [Fact]
    public void Duplicate_data_with_identical_bytes_is_accepted()
    {
        var record = Record(0x0000, IntelHexRecordType.Data, 1, 2, 3, 4);
        var overlapping = Record(0x0002, IntelHexRecordType.Data, 3, 4, 5);
        var segment = IntelHexReader.Parse($"{record}\n{record}\n{overlapping}\n{Eof}").Segments.Single();
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5 }, segment.Data.ToArray());
    }

    [Fact]
    public void Zero_length_data_record_is_accepted_and_adds_nothing() =>
        Assert.True(IntelHexReader.Parse($"{Record(0x1234, IntelHexRecordType.Data)}\n{Eof}").IsEmpty);

    [Fact]
    public void A_full_255_byte_record_is_read()
    {
        var data = Enumerable.Range(0, 255).Select(i => (byte)i).ToArray();
        Assert.Equal(data, IntelHexReader.Parse($"{Record(0, IntelHexRecordType.Data, data)}\n{Eof}").Segments.Single().Data.ToArray());
    }

    [Fact]
    public void Data_at_the_top_of_the_address_space_is_read()
    {
        var text = string.Join("\n", Record(0, IntelHexRecordType.ExtendedLinearAddress, 0xFF, 0xFF), Record(0xFFFC, IntelHexRecordType.Data, 1, 2, 3, 4), Eof);
        var segment = IntelHexReader.Parse(text).Segments.Single();
        Assert.Equal(0xFFFF_FFFCu, segment.Address);
        Assert.Equal(0x1_0000_0000L, segment.EndExclusive);
    }

    [Fact]
    public void Reads_from_a_stream()
    {
        using var stream = new MemoryStream(":020000040800F2\n:0800000000500020C1000008BF\n:00000001FF\n"u8.ToArray());
        Assert.Equal(0x0800_0000u, IntelHexReader.Read(stream).Segments.Single().Address);
    }

    [Fact]
    public void Writer_output_reads_back_to_the_same_segments()
    {
        var random = new Random(99);
        for (int trial = 0; trial < 200; trial++)
        {
            var segments = new List<HexSegment>();
            uint address = (uint)random.Next(0, 0x2000_0000);
            for (int s = 0; s < random.Next(1, 5); s++)
            {
                var data = new byte[random.Next(1, 3000)];
                random.NextBytes(data);
                segments.Add(new HexSegment(address, data));
                address += (uint)data.Length + (uint)random.Next(1, 70_000);
            }
            var text = IntelHexWriter.Write(segments, startLinearAddress: (uint)random.Next(), bytesPerRecord: random.Next(1, 256), newline: random.Next(2) == 0 ? "\n" : "\r\n");
            var read = IntelHexReader.Parse(text);
            Assert.Equal(segments.Select(s => s.Address), read.Segments.Select(s => s.Address));
            for (int i = 0; i < segments.Count; i++) Assert.Equal(segments[i].Data.ToArray(), read.Segments[i].Data.ToArray());
        }
    }
}
