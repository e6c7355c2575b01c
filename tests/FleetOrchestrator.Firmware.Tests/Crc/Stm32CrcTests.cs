using System.Text;
using FleetOrchestrator.Firmware.Crc;
using FleetOrchestrator.Firmware.Tests.Support;

namespace FleetOrchestrator.Firmware.Tests.Crc;

public class Stm32CrcTests
{
    [Fact]
    public void Mpeg2_check_value_of_123456789_is_0x0376E6E7() =>
        Assert.Equal(0x0376E6E7u, Stm32Crc.ComputeMpeg2("123456789"u8));

    [Fact]
    public void Word_fed_crc_of_12345678_is_0xFEFC54F9() =>
        Assert.Equal(0xFEFC54F9u, Stm32Crc.Compute("12345678"u8));

    [Fact]
    public void Word_fed_and_byte_fed_differ_for_the_same_bytes() =>
        Assert.Equal(0x49E3C2FBu, Stm32Crc.ComputeMpeg2("12345678"u8));

    [Fact]
    public void Empty_input_leaves_the_initial_value()
    {
        Assert.Equal(0xFFFFFFFFu, Stm32Crc.Compute([]));
        Assert.Equal(0xFFFFFFFFu, Stm32Crc.ComputeMpeg2([]));
    }

    [Fact]
    public void Trailing_partial_word_is_padded_with_zeros() =>
        Assert.Equal(Stm32Crc.Compute([1, 2, 3, 4, 5, 0, 0, 0]), Stm32Crc.Compute([1, 2, 3, 4, 5]));

    [Fact]
    public void Fast_engine_matches_bit_by_bit_reference_over_many_lengths_and_alignments()
    {
        var random = new Random(20261124);
        var buffer = new byte[4096 + 64];
        random.NextBytes(buffer);
        for (int length = 0; length <= 300; length++)
        {
            for (int offset = 0; offset < 8; offset++)
            {
                var slice = buffer.AsSpan(offset, length);
                Assert.Equal(ReferenceCrc.Words(slice), Stm32Crc.Compute(slice));
                Assert.Equal(ReferenceCrc.Bytes(slice), Stm32Crc.ComputeMpeg2(slice));
            }
        }
        foreach (int length in new[] { 1021, 1024, 2048 + 3, 4096 })
        {
            var slice = buffer.AsSpan(random.Next(64), length);
            Assert.Equal(ReferenceCrc.Words(slice), Stm32Crc.Compute(slice));
            Assert.Equal(ReferenceCrc.Bytes(slice), Stm32Crc.ComputeMpeg2(slice));
        }
    }

    [Fact]
    public void Append_in_word_multiple_chunks_equals_one_pass()
    {
        var random = new Random(7);
        var data = new byte[1000];
        random.NextBytes(data);
        for (int split = 0; split <= data.Length; split += 4)
        {
            uint chained = Stm32Crc.Append(Stm32Crc.Append(Stm32Crc.InitialValue, data.AsSpan(0, split)), data.AsSpan(split));
            Assert.Equal(Stm32Crc.Compute(data), chained);
        }
    }

    [Fact]
    public void Bit_by_bit_reference_itself_reproduces_the_published_check_value() =>
        Assert.Equal(0x0376E6E7u, ReferenceCrc.Bytes(Encoding.ASCII.GetBytes("123456789")));
}
