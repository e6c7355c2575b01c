namespace FleetOrchestrator.L072.Boot;

/// <summary>Which branch of the boot logic was taken (for reports and the decision-table tests).</summary>
public enum BootPath
{
    /// <summary>BOOT0=0 and BFB2=0 (or a fallback): the core fetches SP/PC from bank 1, no validity check.</summary>
    Bank1Direct,
    /// <summary>ROM dual-bank path found bank 2 valid: UFB=1, bank 2 at 0x0800_0000.</summary>
    DualBankBank2,
    /// <summary>ROM dual-bank path found bank 2 invalid and bank 1 valid: UFB=0 (P7: BFB2 set, bank 1 runs).</summary>
    DualBankBank1,
    /// <summary>ROM bootloader waits for a host (BOOT0=1/nBOOT1=1, or BFB2 with no valid bank).</summary>
    RomWaitingForHost,
    /// <summary>BOOT0=1, nBOOT1=0.</summary>
    Sram,
}
