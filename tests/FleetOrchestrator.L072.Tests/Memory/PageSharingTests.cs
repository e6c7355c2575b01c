using FleetOrchestrator.L072.Device;
using FleetOrchestrator.L072.Memory;

namespace FleetOrchestrator.L072.Tests.Memory;

public class PageSharingTests
{
    [Fact]
    public void Identical_pages_are_stored_once()
    {
        var pool = new PagePool();
        var page = Enumerable.Range(0, 128).Select(i => (byte)i).ToArray();
        int a = pool.Intern(page);
        int b = pool.Intern(page.ToArray());
        Assert.Equal(a, b);
        Assert.Equal(2, pool.Count); // erased page + this one
        Assert.Equal(PagePool.ErasedPage, pool.Intern(new byte[128]));
    }

    [Fact]
    public void Devices_holding_the_same_image_share_its_pages_and_copy_on_write()
    {
        var pool = new PagePool();
        var content = pool.InternContent(TestImages.Old, L072Part.Xz192K.PagesPerBank);
        int pagesAfterIntern = pool.Count;
        var first = new L072Device(pool: pool);
        var second = new L072Device(pool: pool);
        first.LoadPhysicalBank(1, content);
        second.LoadPhysicalBank(1, content);
        Assert.Equal(pagesAfterIntern, pool.Count);
        Assert.True(first.PrivateBytes < 1024, $"a device sharing its image owns {first.PrivateBytes} bytes");

        first.PowerOn();
        second.PowerOn();
        first.ErasePage(0x0800_0000); // copy-on-write: only the first device changes
        Assert.Equal(0u, first.ReadFlashWord(0x0800_0000));
        Assert.Equal(0x2000_5000u, second.ReadFlashWord(0x0800_0000));
        Assert.True(first.PrivateBytes > second.PrivateBytes);
    }

    [Fact]
    public void Concurrent_interning_from_many_threads_yields_one_index_per_content()
    {
        var pool = new PagePool();
        var indices = new int[8][];
        Parallel.For(0, 8, t =>
        {
            indices[t] = new int[2000];
            var page = new byte[128];
            for (int i = 0; i < 2000; i++)
            {
                BitConverter.TryWriteBytes(page, i + 1);
                indices[t][i] = pool.Intern(page);
            }
        });
        for (int t = 1; t < 8; t++) Assert.Equal(indices[0], indices[t]);
        Assert.Equal(2001, pool.Count);
    }
}
