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
    public void A_programmed_page_gets_its_own_content_and_never_changes_the_shared_image()
    {
        var pool = new PagePool();
        var content = pool.InternContent(TestImages.Old, L072Part.Xz192K.PagesPerBank);
        var writer = Loaded(pool, content, bank: 2);
        var neighbour = Loaded(pool, content, bank: 2);
        uint bank2 = L072Part.Xz192K.Bank2Address;
        var image = new byte[L072Part.PageSize];
        writer.ReadFlash(bank2, image);

        Assert.Equal(FlashStatus.Ok, writer.ErasePage(bank2));
        var half = Enumerable.Range(1, L072Part.HalfPageSize).Select(i => (byte)i).ToArray();
        Assert.Equal(FlashStatus.Ok, writer.ProgramHalfPage(bank2, half));

        var written = new byte[L072Part.PageSize];
        writer.ReadFlash(bank2, written);
        Assert.Equal(half, written[..L072Part.HalfPageSize]);
        Assert.All(written[L072Part.HalfPageSize..], b => Assert.Equal(0, b));
        // Neither the other device nor a device loaded afterwards from the same content sees the write.
        var seen = new byte[L072Part.PageSize];
        neighbour.ReadFlash(bank2, seen);
        Assert.Equal(image, seen);
        Loaded(pool, content, bank: 2).ReadFlash(bank2, seen);
        Assert.Equal(image, seen);
        // The second page still aliases the shared content: only what differs was copied.
        uint nextPage = bank2 + L072Part.PageSize;
        Assert.Equal(neighbour.ReadFlashWord(nextPage), writer.ReadFlashWord(nextPage));
    }

    [Fact]
    public void A_power_cut_mid_program_on_a_shared_page_tears_only_that_device_s_half_page()
    {
        var pool = new PagePool();
        var content = pool.InternContent(TestImages.Old, L072Part.Xz192K.PagesPerBank);
        var torn = new L072Configuration
        {
            Assumptions = L072Assumptions.Default with { InterruptedOperation = InterruptedOperation.Torn },
        };
        var victim = Loaded(pool, content, bank: 2, torn);
        var neighbour = Loaded(pool, content, bank: 2);
        uint bank2 = L072Part.Xz192K.Bank2Address;
        var image = new byte[L072Part.PageSize];
        neighbour.ReadFlash(bank2, image);
        Assert.Equal(FlashStatus.Ok, victim.ErasePage(bank2));

        victim.ScheduleCutBeforeOperation(victim.OperationCount + 1);
        var intended = Enumerable.Repeat((byte)0x5A, L072Part.HalfPageSize).ToArray();
        Assert.Throws<PowerLostException>(() => victim.ProgramHalfPage(bank2, intended));

        Assert.False(victim.IsPowered);
        victim.PowerOn();
        var after = new byte[L072Part.PageSize];
        victim.ReadFlash(bank2, after);
        // Torn (L072Assumptions.InterruptedOperation): the half-page holds neither erased nor intended bytes, and the
        // other half stays erased; flash keeps it across the power cycle.
        Assert.Contains(after[..L072Part.HalfPageSize], b => b != 0 && b != 0x5A);
        Assert.All(after[L072Part.HalfPageSize..], b => Assert.Equal(0, b));
        var seen = new byte[L072Part.PageSize];
        neighbour.ReadFlash(bank2, seen);
        Assert.Equal(image, seen);
    }

    private static L072Device Loaded(
        PagePool pool, BankContent content, int bank, L072Configuration? configuration = null)
    {
        var device = new L072Device(configuration, pool);
        device.LoadPhysicalBank(bank, content);
        device.PowerOn();
        return device;
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
