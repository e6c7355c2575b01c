using FleetOrchestrator.Firmware.Crc;
using FleetOrchestrator.L072.Device;
using FleetOrchestrator.L072.Memory;

namespace FleetOrchestrator.L072.Tests.Memory;

/// <summary>
/// ComputeFlashCrc remembers results by page content (PageRunCrcMemo): a remembered CRC must be exactly what the CRC
/// unit computes, cost the same simulated time, leave the unit in the same state, and never outlive a change of content.
/// </summary>
public class FlashCrcMemoTests
{
    private static readonly byte[] Image = [.. Enumerable.Range(0, 4096 + 300).Select(i => (byte)(i * 13 + 5))];

    private static L072Device Device(PagePool pool)
    {
        var d = new L072Device(pool: pool);
        d.PowerOn();
        var padded = Image.Concat(new byte[64 - Image.Length % 64]).ToArray();
        for (int i = 0; i < padded.Length; i += 64) d.ProgramHalfPage(0x0801_8000 + (uint)i, padded.AsSpan(i, 64));
        return d;
    }

    [Fact]
    public void A_second_device_with_the_same_content_gets_the_remembered_crc_at_the_same_simulated_cost()
    {
        var pool = new PagePool();
        var first = Device(pool);
        var second = Device(pool);

        var before1 = first.Now;
        uint computed = first.ComputeFlashCrc(0x0801_8000, Image.Length);
        var cost1 = first.Now - before1;
        var before2 = second.Now;
        uint remembered = second.ComputeFlashCrc(0x0801_8000, Image.Length);

        Assert.Equal(Stm32Crc.Compute(Image), computed);
        Assert.Equal(computed, remembered);
        Assert.Equal(computed, second.Crc.Value);
        Assert.Equal(cost1, second.Now - before2);
        Assert.Equal((1, 1), (pool.Crcs.Misses, pool.Crcs.Hits));
    }

    [Fact]
    public void After_one_byte_changes_the_crc_is_computed_again_and_is_right()
    {
        var pool = new PagePool();
        var d = Device(pool);
        d.ComputeFlashCrc(0x0801_8000, Image.Length);

        d.ErasePage(0x0801_8000 + 2048); // one page of the run back to erased (0x00 on the L072)
        var expected = Image.ToArray();
        Array.Clear(expected, 2048, 128);

        Assert.Equal(Stm32Crc.Compute(expected), d.ComputeFlashCrc(0x0801_8000, Image.Length));
        Assert.Equal(2, pool.Crcs.Misses);
    }

    [Theory]
    [InlineData(0, 100)]
    [InlineData(4, 4096)]
    [InlineData(100, 300)]
    [InlineData(128, 128)]
    public void Runs_that_start_or_end_inside_a_page_are_remembered_apart_and_match_the_bytes(int start, int length)
    {
        var pool = new PagePool();
        var d = Device(pool);
        d.ComputeFlashCrc(0x0801_8000, Image.Length); // a longer run over the same pages is already remembered

        uint once = d.ComputeFlashCrc(0x0801_8000 + (uint)start, length);
        uint twice = d.ComputeFlashCrc(0x0801_8000 + (uint)start, length);

        Assert.Equal(Stm32Crc.Compute(Image.AsSpan(start, length)), once);
        Assert.Equal(once, twice);
    }
}
