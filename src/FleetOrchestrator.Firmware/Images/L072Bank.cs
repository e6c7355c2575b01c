namespace FleetOrchestrator.Firmware.Images;

/// <summary>Geometry of one STM32L072xZ (192 KB) program-flash bank as the images see it.</summary>
public static class L072Bank
{
    /// <summary>Both banks execute here after the ROM's swap: images are always linked for this address.</summary>
    public const uint LinkAddress = 0x0800_0000;
    /// <summary>Logical address of the inactive bank, where an update is written.</summary>
    public const uint InactiveBankAddress = 0x0801_8000;
    public const int Size = 96 * 1024;
    public const byte ErasedValue = 0x00;
    public const uint SramStart = 0x2000_0000;
    public const uint SramEnd = 0x2000_5000; // one past the end of the 20 KB SRAM
}
