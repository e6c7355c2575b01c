using FleetOrchestrator.L072.Device;

namespace FleetOrchestrator.L072.Tests.Device;

public class EepromTests
{
    [Fact]
    public void UFB_swaps_the_two_data_EEPROM_banks()
    {
        var d = new L072Device();
        d.PowerOn();
        d.WriteEepromWord(0x0808_0000, 0x1111_1111); // physical bank 1
        d.WriteEepromWord(0x0808_0C00, 0x2222_2222); // physical bank 2
        d.SetUfb(true);
        Assert.Equal(0x2222_2222u, d.ReadEepromWord(0x0808_0000));
        Assert.Equal(0x1111_1111u, d.ReadEepromWord(0x0808_0C00));
    }

    [Fact]
    public void EEPROM_takes_byte_and_word_writes_over_old_values()
    {
        var d = new L072Device();
        d.PowerOn();
        d.WriteEepromWord(0x0808_0010, 0xAABB_CCDD);
        d.WriteEepromWord(0x0808_0010, 0x0102_0304); // no NOTZERO rule on EEPROM
        d.WriteEepromByte(0x0808_0011, 0xEE);
        Assert.Equal(0x0102_EE04u, d.ReadEepromWord(0x0808_0010));
        Assert.Equal(0xEE, d.ReadEepromByte(0x0808_0011));
        Assert.Equal(FlashStatus.ProgramAlignmentError, d.WriteEepromWord(0x0808_0012, 1));
        Assert.Equal(3, d.OperationCount);
        Assert.Throws<ArgumentOutOfRangeException>(() => d.WriteEepromWord(0x0808_1800, 1));
    }
}
