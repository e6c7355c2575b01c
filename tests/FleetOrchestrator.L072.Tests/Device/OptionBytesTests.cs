using FleetOrchestrator.L072.Device;
using FleetOrchestrator.L072.Peripherals;

namespace FleetOrchestrator.L072.Tests.Device;

public class OptionBytesTests
{
    private static L072Device Powered(L072Assumptions? a = null)
    {
        var d = new L072Device(new L072Configuration { Assumptions = a ?? L072Assumptions.Default });
        d.PowerOn();
        return d;
    }

    [Fact]
    public void Option_words_are_stored_as_value_and_complement()
    {
        var d = Powered();
        Assert.Equal(0x7F8F_8070u, d.StoredUserWord);
        Assert.Equal(0xFF55_00AAu, d.StoredRdpWord);
        d.ProgramUserOption(0x80F0);
        Assert.Equal(0x7F0F_80F0u, d.StoredUserWord);
    }

    [Fact]
    public void New_option_values_take_effect_only_at_OBL_LAUNCH_which_resets_with_OBLRSTF()
    {
        var d = Powered();
        d.ClearResetFlags();
        d.ProgramUserOption(0x80F0); // BFB2 = 1
        Assert.False(d.Bfb2);
        d.SoftwareReset();
        Assert.False(d.Bfb2); // a system reset does not reload option bytes
        long resets = d.ResetCount;
        d.LaunchOptionByteLoading();
        Assert.True(d.Bfb2);
        Assert.Equal(0x80F0_00AAu, d.OptionRegister);
        Assert.True(d.ResetCount > resets);
        Assert.True(d.ResetFlags.HasFlag(ResetFlags.OptionByteLoad));
        Assert.True(d.ResetFlags.HasFlag(ResetFlags.Software)); // flags accumulate until RMVF
    }

    [Fact]
    public void A_power_on_reset_also_loads_option_bytes()
    {
        var d = Powered();
        d.ProgramUserOption(0x80F0);
        d.PowerOff();
        d.PowerOn();
        Assert.True(d.Bfb2);
    }

    [Fact]
    public void A_torn_option_write_gives_OPTVERR_and_the_documented_fallback()
    {
        var a = new L072Assumptions { InterruptedOperation = InterruptedOperation.Torn, UserValueOnComplementMismatch = 0x8070 };
        var d = Powered(a);
        d.ScheduleCutBeforeOperation(d.OperationCount + 1);
        Assert.Throws<PowerLostException>(() => d.ProgramUserOption(0x80F0));
        d.PowerOn();
        Assert.True(d.OptionValidityError);
        Assert.False(d.Bfb2);
        Assert.Equal(0x8070u, d.OptionRegister >> 16);
        d.ClearOptionValidityError();
        Assert.False(d.OptionValidityError);
    }

    [Fact]
    public void A_bad_RDP_complement_loads_as_level_1()
    {
        var d = Powered(new L072Assumptions { InterruptedOperation = InterruptedOperation.Torn });
        d.ScheduleCutBeforeOperation(d.OperationCount + 1);
        Assert.Throws<PowerLostException>(() => d.ProgramRdpOption(0x00BB));
        d.PowerOn();
        Assert.Equal(RdpLevel.Level1, d.Rdp);
    }

    [Fact]
    public void RDP_level_2_freezes_the_option_bytes()
    {
        var d = Powered();
        d.ProgramRdpOption(0x00CC);
        d.LaunchOptionByteLoading();
        Assert.Equal(RdpLevel.Level2, d.Rdp);
        Assert.Equal(FlashStatus.WriteProtectionError, d.ProgramUserOption(0x80F0));
        Assert.Equal(0x7F8F_8070u, d.StoredUserWord);
    }

    [Fact]
    public void Option_byte_writes_and_launches_are_counted_operations()
    {
        var d = Powered();
        d.ProgramUserOption(0x80F0);
        d.LaunchOptionByteLoading();
        Assert.Equal(2, d.OperationCount);
    }
}
