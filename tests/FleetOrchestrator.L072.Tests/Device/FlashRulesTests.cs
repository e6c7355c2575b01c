using FleetOrchestrator.L072.Device;

namespace FleetOrchestrator.L072.Tests.Device;

public class FlashRulesTests
{
    private static L072Device Powered(L072Configuration? c = null)
    {
        var d = new L072Device(c);
        d.PowerOn();
        return d;
    }

    private static byte[] Pattern(int n, byte seed) => Enumerable.Range(0, n).Select(i => (byte)(seed + i | 1)).ToArray();

    [Fact]
    public void Erased_flash_and_eeprom_read_0x00()
    {
        var d = Powered();
        Assert.Equal(0u, d.ReadFlashWord(0x0801_8000));
        Assert.Equal(0u, d.ReadEepromWord(0x0808_0000));
    }

    [Fact]
    public void Programming_a_word_that_is_not_zero_fails_with_NOTZEROERR_and_is_not_applied()
    {
        var d = Powered();
        Assert.Equal(FlashStatus.Ok, d.ProgramWord(0x0801_8000, 0x1234_5678));
        long ops = d.OperationCount;
        Assert.Equal(FlashStatus.NotZeroError, d.ProgramWord(0x0801_8000, 0xFFFF_FFFF));
        Assert.Equal(0x1234_5678u, d.ReadFlashWord(0x0801_8000));
        Assert.Equal(ops, d.OperationCount);
    }

    [Fact]
    public void Half_page_must_be_64_byte_aligned_and_64_bytes()
    {
        var d = Powered();
        Assert.Equal(FlashStatus.ProgramAlignmentError, d.ProgramHalfPage(0x0801_8020, Pattern(64, 1)));
        Assert.Equal(FlashStatus.ProgramAlignmentError, d.ProgramHalfPage(0x0801_8004, Pattern(64, 1)));
        Assert.Equal(FlashStatus.SizeError, d.ProgramHalfPage(0x0801_8000, Pattern(32, 1)));
        Assert.Equal(0u, d.ReadFlashWord(0x0801_8020));
        Assert.Equal(FlashStatus.Ok, d.ProgramHalfPage(0x0801_8040, Pattern(64, 1)));
        var back = new byte[64];
        d.ReadFlash(0x0801_8040, back);
        Assert.Equal(Pattern(64, 1), back);
    }

    [Fact]
    public void Half_page_over_a_programmed_word_fails_with_NOTZEROERR_and_writes_nothing()
    {
        var d = Powered();
        d.ProgramWord(0x0801_803C, 7);
        Assert.Equal(FlashStatus.NotZeroError, d.ProgramHalfPage(0x0801_8000, Pattern(64, 3)));
        Assert.Equal(0u, d.ReadFlashWord(0x0801_8000));
        Assert.Equal(7u, d.ReadFlashWord(0x0801_803C));
    }

    [Fact]
    public void Page_erase_clears_exactly_one_128_byte_page_to_zero()
    {
        var d = Powered();
        for (uint a = 0x0801_8000; a < 0x0801_8180; a += 64) d.ProgramHalfPage(a, Pattern(64, 9));
        Assert.Equal(FlashStatus.Ok, d.ErasePage(0x0801_8090)); // any address inside the second page
        Assert.NotEqual(0u, d.ReadFlashWord(0x0801_807C));
        Assert.Equal(0u, d.ReadFlashWord(0x0801_8080));
        Assert.Equal(0u, d.ReadFlashWord(0x0801_80FC));
        Assert.NotEqual(0u, d.ReadFlashWord(0x0801_8100));
        // erased again -> programmable again
        Assert.Equal(FlashStatus.Ok, d.ProgramWord(0x0801_8080, 5));
    }

    [Fact]
    public void Logical_addresses_map_to_physical_banks_through_UFB()
    {
        var d = Powered();
        d.ProgramWord(0x0801_8000, 0xB2B2_B2B2); // UFB=0: logical 0x0801_8000 is physical bank 2
        var phys = new byte[4];
        d.ReadPhysicalBank(2, 0, phys);
        Assert.Equal(0xB2B2_B2B2u, BitConverter.ToUInt32(phys));
        d.SetUfb(true);
        Assert.Equal(0xB2B2_B2B2u, d.ReadFlashWord(0x0800_0000));
        Assert.Equal(0u, d.ReadFlashWord(0x0801_8000));
        d.ProgramWord(0x0801_8000, 0xB1B1_B1B1); // UFB=1: now physical bank 1
        d.ReadPhysicalBank(1, 0, phys);
        Assert.Equal(0xB1B1_B1B1u, BitConverter.ToUInt32(phys));
    }

    [Fact]
    public void Every_operation_advances_the_simulated_clock_by_its_configured_time()
    {
        var timings = new L072Timings { PageErase = TimeSpan.FromMilliseconds(4), HalfPageProgram = TimeSpan.FromMilliseconds(2), WordProgram = TimeSpan.FromMilliseconds(1) };
        var d = Powered(new L072Configuration { Timings = timings });
        var t0 = d.Now;
        d.ErasePage(0x0801_8000);
        d.ProgramHalfPage(0x0801_8000, Pattern(64, 1));
        d.ProgramWord(0x0801_8040, 1);
        Assert.Equal(TimeSpan.FromMilliseconds(7), d.Now - t0);
        Assert.Equal(3, d.OperationCount);
    }

    [Fact]
    public void Default_timings_are_3_2_ms_per_flash_operation()
    {
        var d = Powered();
        var t0 = d.Now;
        for (int i = 0; i < 10; i++) d.ErasePage(0x0801_8000 + (uint)(i * 128));
        Assert.Equal(TimeSpan.FromMilliseconds(32), d.Now - t0);
    }

    [Fact]
    public void A_cut_before_operation_i_skips_it_and_leaves_the_device_unpowered()
    {
        var d = Powered();
        d.ScheduleCutBeforeOperation(2);
        d.ProgramWord(0x0801_8000, 1);
        var e = Assert.Throws<PowerLostException>(() => d.ProgramWord(0x0801_8004, 2));
        Assert.Equal(2, e.Operation.Index);
        Assert.Equal(NvmOperationKind.WordProgram, e.Operation.Kind);
        Assert.False(d.IsPowered);
        Assert.Equal(ExecutionState.Unpowered, d.State);
        Assert.Throws<InvalidOperationException>(() => d.ProgramWord(0x0801_8008, 3));
        d.PowerOn();
        Assert.Equal(1u, d.ReadFlashWord(0x0801_8000));
        Assert.Equal(0u, d.ReadFlashWord(0x0801_8004));
        Assert.Equal(1, d.PowerCutsInjected);
    }

    [Fact]
    public void A_torn_half_page_write_leaves_neither_the_old_nor_the_new_content()
    {
        var d = Powered(new L072Configuration { Assumptions = new L072Assumptions { InterruptedOperation = InterruptedOperation.Torn } });
        d.ScheduleCutBeforeOperation(1);
        Assert.Throws<PowerLostException>(() => d.ProgramHalfPage(0x0801_8000, Pattern(64, 1)));
        d.PowerOn();
        var back = new byte[64];
        d.ReadFlash(0x0801_8000, back);
        Assert.NotEqual(Pattern(64, 1), back);
        Assert.NotEqual(new byte[64], back);
    }

    [Theory]
    [InlineData(192, 0x0801_8000u)]
    [InlineData(128, 0x0801_0000u)]
    public void The_second_bank_starts_at_base_plus_half_the_flash(int kb, uint bank2)
    {
        var part = kb == 192 ? L072Part.Xz192K : L072Part.Xb128K;
        Assert.Equal(bank2, part.Bank2Address);
        var d = Powered(new L072Configuration { Part = part });
        d.ProgramWord(bank2, 0xAB);
        var phys = new byte[4];
        d.ReadPhysicalBank(2, 0, phys);
        Assert.Equal(0xABu, BitConverter.ToUInt32(phys));
    }

    [Fact]
    public void The_64_KB_part_has_one_bank_and_ignores_UFB()
    {
        var d = Powered(new L072Configuration { Part = L072Part.X8SingleBank64K });
        Assert.Equal(FlashStatus.SizeError, d.ProgramWord(0x0801_0000, 1));
        d.SetUfb(true);
        Assert.False(d.Ufb);
        Assert.Equal(FlashStatus.Ok, d.ProgramWord(0x0800_FFFC, 1));
    }
}
