using FleetOrchestrator.Firmware.Crc;
using FleetOrchestrator.L072.Device;
using FleetOrchestrator.L072.Peripherals;

namespace FleetOrchestrator.L072.Tests.Device;

public class ResetsAndPeripheralsTests
{
    [Fact]
    public void UFB_is_zero_after_every_reset()
    {
        var d = new L072Device();
        d.PowerOn();
        d.SetUfb(true);
        d.SoftwareReset();
        Assert.False(d.Ufb);
        d.SetUfb(true);
        d.LaunchOptionByteLoading();
        Assert.False(d.Ufb);
    }

    [Fact]
    public void The_IWDG_cannot_be_stopped_and_resets_with_IWDGRSTF_when_not_refreshed()
    {
        Assert.DoesNotContain(typeof(IndependentWatchdog).GetMethods(), m => m.Name.Contains("Stop", StringComparison.Ordinal) || m.Name.Contains("Disable", StringComparison.Ordinal));
        var d = new L072Device();
        d.PowerOn();
        d.ClearResetFlags();
        d.Watchdog.Configure(prescaler: 0, reload: 369); // 4 * 370 / 37 kHz = 40 ms
        d.StartWatchdog();
        Assert.Equal(TimeSpan.FromMilliseconds(40), d.Watchdog.Timeout);
        Assert.False(d.AdvanceTime(TimeSpan.FromMilliseconds(30)));
        d.RefreshWatchdog();
        Assert.False(d.AdvanceTime(TimeSpan.FromMilliseconds(30)));
        long resets = d.ResetCount;
        Assert.True(d.AdvanceTime(TimeSpan.FromMilliseconds(30)));
        Assert.True(d.ResetCount > resets);
        Assert.True(d.ResetFlags.HasFlag(ResetFlags.IndependentWatchdog));
        Assert.False(d.Watchdog.IsRunning); // software-started IWDG: only a reset stops it
    }

    [Fact]
    public void With_the_hardware_watchdog_option_the_IWDG_starts_by_itself_after_reset()
    {
        var d = new L072Device(new L072Configuration { InitialUserOption = 0x8060 }); // WDG_SW = 0
        d.PowerOn();
        Assert.True(d.Watchdog.IsRunning);
    }

    [Fact]
    public void Reset_flags_accumulate_until_RMVF_and_a_power_on_reset_clears_the_others()
    {
        var d = new L072Device();
        d.PowerOn();
        Assert.True(d.ResetFlags.HasFlag(ResetFlags.PowerOn));
        d.SoftwareReset();
        Assert.True(d.ResetFlags.HasFlag(ResetFlags.PowerOn) && d.ResetFlags.HasFlag(ResetFlags.Software));
        d.ClearResetFlags();
        Assert.Equal(ResetFlags.None, d.ResetFlags);
        d.SoftwareReset();
        d.PowerOff();
        d.PowerOn();
        Assert.False(d.ResetFlags.HasFlag(ResetFlags.Software));
        Assert.True(d.ResetFlags.HasFlag(ResetFlags.PowerOn));
    }

    [Fact]
    public void PINRSTF_on_internal_resets_follows_the_named_assumption()
    {
        var d = new L072Device(new L072Configuration { Assumptions = new L072Assumptions { PinResetFlagOnInternalReset = false } });
        d.PowerOn();
        d.ClearResetFlags();
        d.SoftwareReset();
        Assert.Equal(ResetFlags.Software, d.ResetFlags);
    }

    [Fact]
    public void The_CRC_unit_is_word_fed_MPEG2_and_matches_Stm32Crc_over_flash()
    {
        var unit = new CrcUnit();
        unit.WriteWords("12345678"u8);
        Assert.Equal(0xFEFC_54F9u, unit.Value); // reference §6, LE words fed bit 31 first
        unit.Reset();
        Assert.Equal(0xFFFF_FFFFu, unit.Value);

        var d = new L072Device();
        d.PowerOn();
        var data = Enumerable.Range(0, 256).Select(i => (byte)(i * 7 + 1)).ToArray();
        for (int i = 0; i < data.Length; i += 64) d.ProgramHalfPage(0x0801_8000 + (uint)i, data.AsSpan(i, 64));
        Assert.Equal(Stm32Crc.Compute(data), d.ComputeFlashCrc(0x0801_8000, data.Length));
        Assert.Equal(Stm32Crc.Compute(data.AsSpan(0, 100)), d.ComputeFlashCrc(0x0801_8000, 100));
    }
}
