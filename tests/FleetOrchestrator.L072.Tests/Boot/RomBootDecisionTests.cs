using FleetOrchestrator.L072.Boot;
using FleetOrchestrator.L072.Device;

namespace FleetOrchestrator.L072.Tests.Boot;

public class RomBootDecisionTests
{
    public static TheoryData<bool, bool, bool, bool, string, int, BootPath> Table => new()
    {
        // BOOT0, BFB2, bank1 valid, bank2 valid, ROM, RDP -> path (nBOOT1 = 1)
        { false, false, true, true, "4.1", 0, BootPath.Bank1Direct },
        { false, false, false, true, "4.1", 0, BootPath.Bank1Direct },      // no validity check without BFB2
        { false, false, false, false, "4.1", 0, BootPath.Bank1Direct },
        { false, true, true, true, "4.1", 0, BootPath.DualBankBank2 },
        { false, true, false, true, "4.1", 0, BootPath.DualBankBank2 },
        { false, true, true, false, "4.1", 0, BootPath.DualBankBank1 },     // P7: BFB2 set, bank 1 runs
        { false, true, false, false, "4.1", 0, BootPath.RomWaitingForHost },
        { false, true, true, true, "4.1", 1, BootPath.DualBankBank2 },      // RDP 1 does not change boot
        { false, true, false, false, "4.1", 1, BootPath.RomWaitingForHost },
        { false, true, true, true, "4.0", 0, BootPath.Bank1Direct },        // V4.0: no dual-bank boot (assumption)
        { false, true, false, true, "4.0", 0, BootPath.Bank1Direct },
        { false, true, false, false, "4.0", 0, BootPath.Bank1Direct },
        { true, false, true, true, "4.1", 0, BootPath.RomWaitingForHost },  // BOOT0=1, nBOOT1=1: system memory
        { true, true, true, true, "4.1", 0, BootPath.RomWaitingForHost },
        { true, false, true, true, "4.0", 0, BootPath.RomWaitingForHost },
        { false, true, true, true, "4.1", 2, BootPath.Bank1Direct },        // RDP 2: ROM disabled (assumption for BFB2)
        { false, true, false, false, "4.1", 2, BootPath.Bank1Direct },
        { true, false, true, true, "4.1", 2, BootPath.Bank1Direct },        // RDP 2 ignores BOOT0
        { true, true, false, false, "4.1", 2, BootPath.Bank1Direct },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Boot_decision_table(bool boot0, bool bfb2, bool bank1Valid, bool bank2Valid, string rom, int rdp, BootPath expected)
    {
        var version = rom == "4.0" ? RomBootloaderVersion.V4_0 : RomBootloaderVersion.V4_1;
        var input = new BootInputs(boot0, NBoot1: true, bfb2, (RdpLevel)rdp, version, SiliconRevision.Z, DualBankPart: true, bank1Valid, bank2Valid);
        var decision = RomBootloader.Decide(input, L072Assumptions.Default);
        Assert.Equal(expected, decision.Path);
        Assert.Equal(expected == BootPath.DualBankBank2, decision.Ufb);
    }

    [Theory]
    [MemberData(nameof(Table))]
    public void The_device_takes_the_same_decision_from_its_real_banks_and_option_bytes(bool boot0, bool bfb2, bool bank1Valid, bool bank2Valid, string rom, int rdp, BootPath expected)
    {
        var config = new L072Configuration
        {
            RomBootloader = rom == "4.0" ? RomBootloaderVersion.V4_0 : RomBootloaderVersion.V4_1,
            InitialUserOption = (ushort)(0x8070 | (bfb2 ? 0x80 : 0)),
            InitialRdpOption = rdp switch { 0 => 0x00AA, 1 => 0x00BB, _ => 0x00CC },
        };
        var d = new L072Device(config) { Boot0 = boot0 };
        if (bank1Valid) d.LoadPhysicalBank(1, d.Pool.InternContent(TestImages.Small(TestImages.V1), config.Part.PagesPerBank));
        if (bank2Valid) d.LoadPhysicalBank(2, d.Pool.InternContent(TestImages.Small(TestImages.V2), config.Part.PagesPerBank));
        d.PowerOn();
        Assert.Equal(expected, d.LastBootPath);
        Assert.Equal(expected == BootPath.DualBankBank2, d.Ufb);
        Assert.Equal(expected == BootPath.DualBankBank2 ? 2 : 1, d.ActivePhysicalBank);
    }

    [Fact]
    public void BOOT0_with_nBOOT1_clear_boots_SRAM()
    {
        var input = new BootInputs(true, false, false, RdpLevel.Level0, RomBootloaderVersion.V4_1, SiliconRevision.Z, true, true, true);
        Assert.Equal(BootPath.Sram, RomBootloader.Decide(input, L072Assumptions.Default).Path);
    }

    [Theory]
    [InlineData(SiliconRevision.A, Bfb2Fallback.BootsBank1Directly, BootPath.Bank1Direct)]
    [InlineData(SiliconRevision.B, Bfb2Fallback.BootsBank1Directly, BootPath.Bank1Direct)]
    [InlineData(SiliconRevision.B, Bfb2Fallback.StaysInRom, BootPath.RomWaitingForHost)]
    [InlineData(SiliconRevision.Z, Bfb2Fallback.StaysInRom, BootPath.DualBankBank2)]
    public void Silicon_before_rev_Z_follows_the_named_assumption(SiliconRevision rev, Bfb2Fallback fallback, BootPath expected)
    {
        var input = new BootInputs(false, true, true, RdpLevel.Level0, RomBootloaderVersion.V4_1, rev, true, true, true);
        var decision = RomBootloader.Decide(input, new L072Assumptions { Bfb2BeforeRevisionZ = fallback });
        Assert.Equal(expected, decision.Path);
    }

    [Fact]
    public void RDP2_with_BFB2_can_be_configured_to_stay_in_ROM()
    {
        var input = new BootInputs(false, true, true, RdpLevel.Level2, RomBootloaderVersion.V4_1, SiliconRevision.Z, true, true, true);
        Assert.Equal(BootPath.RomWaitingForHost, RomBootloader.Decide(input, new L072Assumptions { Bfb2UnderRdp2 = Bfb2Fallback.StaysInRom }).Path);
    }

    [Theory]
    [InlineData(0x2000_5000u, true)]
    [InlineData(0x2000_4FF0u, true)]
    [InlineData(0x2000_0004u, true)]
    [InlineData(0x2000_5004u, false)]
    [InlineData(0x2000_0000u, false)]
    [InlineData(0x2000_4FFEu, false)]
    [InlineData(0x0000_0000u, false)]
    [InlineData(0xFFFF_FFFFu, false)]
    public void ROM_accepts_an_aligned_stack_pointer_in_SRAM_one_past_the_end_included(uint sp, bool valid)
    {
        Assert.Equal(valid, RomBootloader.IsValidBank(sp, 0x0800_00C1, L072Assumptions.Default));
    }

    [Fact]
    public void The_ROM_dual_bank_jump_leaves_MEM_MODE_as_the_named_assumption_says()
    {
        var input = new BootInputs(false, true, true, RdpLevel.Level0, RomBootloaderVersion.V4_1, SiliconRevision.Z, true, true, true);
        Assert.Equal(MemoryMode.SystemFlash, RomBootloader.Decide(input, L072Assumptions.Default).MemMode);
        Assert.Equal(MemoryMode.MainFlash, RomBootloader.Decide(input, new L072Assumptions { MemModeAfterDualBankBoot = MemoryMode.MainFlash }).MemMode);
    }
}
