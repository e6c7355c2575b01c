namespace FleetOrchestrator.L072.Device;

/// <summary>
/// Every behaviour the reference marks [UNVERIFIED], as a named, configurable choice. Code that depends on one cites
/// the property name (e.g. "see L072Assumptions.RomValidStackPointer"). Defaults are the reference's recommended
/// model or the most plausible reading; the README lists them.
/// </summary>
public sealed record L072Assumptions
{
    /// <summary>
    /// ROM "valid code" test for a bank (reference §5 step 4): initial SP word-aligned with
    /// <c>Low &lt; SP &lt;= High</c>. Default (0x2000_0000, 0x2000_5000]: ST's own bank-2 linker uses 0x2000_5000.
    /// </summary>
    public uint RomValidStackPointerLowExclusive { get; init; } = 0x2000_0000;
    public uint RomValidStackPointerHighInclusive { get; init; } = 0x2000_5000;

    /// <summary>Whether the ROM additionally wants an odd reset vector inside flash (a heuristic, default off).</summary>
    public bool RomChecksResetVector { get; init; }

    /// <summary>BFB2=1, BOOT0=0 on a ROM without dual-bank boot (V4.0/V11.1): P5 says BFB2 "does nothing useful".</summary>
    public Bfb2Fallback Bfb2OnRomWithoutDualBankBoot { get; init; } = Bfb2Fallback.BootsBank1Directly;

    /// <summary>BFB2=1 on silicon before rev Z: ST's dual-boot example needs REV_ID ≥ 0x2008; assumed not to work.</summary>
    public Bfb2Fallback Bfb2BeforeRevisionZ { get; init; } = Bfb2Fallback.BootsBank1Directly;

    /// <summary>BFB2=1 under RDP level 2: ROM boot is disabled (AN2606 §4.1), so assumed to boot bank 1 directly.</summary>
    public Bfb2Fallback Bfb2UnderRdp2 { get; init; } = Bfb2Fallback.BootsBank1Directly;

    /// <summary>
    /// MEM_MODE after the ROM's dual-bank jump (P4). Default: the ROM stays aliased at 0x0000_0000, so an image that
    /// does not set VTOR takes its interrupts through ROM vectors and crashes.
    /// </summary>
    public MemoryMode MemModeAfterDualBankBoot { get; init; } = MemoryMode.SystemFlash;

    /// <summary>RDPROT used when the RDP word's complement does not match at load: L1 evidence says level 1.</summary>
    public byte RdpValueOnComplementMismatch { get; init; } = 0x00;

    /// <summary>OPTR[31:16] used when the USER word's complement does not match: assumed factory default 0x8070 (BFB2=0, WDG_SW=1, nBOOT1=1).</summary>
    public ushort UserValueOnComplementMismatch { get; init; } = 0x8070;

    /// <summary>Option bytes are frozen under RDP 2 (standard STM32 behaviour; L0 text not found).</summary>
    public bool OptionBytesFrozenAtRdp2 { get; init; } = true;

    /// <summary>PINRSTF is also set by internal resets (software, IWDG, OBL); "commonly" true on STM32.</summary>
    public bool PinResetFlagOnInternalReset { get; init; } = true;

    /// <summary>LSI frequency that clocks the IWDG; the real spread is large.</summary>
    public int LsiFrequencyHz { get; init; } = 37_000;

    /// <summary>What an operation interrupted by a power cut leaves behind (see README "Interrupted operations").</summary>
    public InterruptedOperation InterruptedOperation { get; init; } = InterruptedOperation.NotStarted;

    public static L072Assumptions Default { get; } = new();
}

/// <summary>What the part does when BFB2 asks for dual-bank boot but that path is unavailable.</summary>
public enum Bfb2Fallback
{
    /// <summary>Boots bank 1 at 0x0800_0000 as if BFB2 were 0 (no validity check).</summary>
    BootsBank1Directly,
    /// <summary>Stays in the ROM bootloader waiting for a host (a brick for a field device).</summary>
    StaysInRom,
}

/// <summary>SYSCFG_CFGR1.MEM_MODE: what is aliased at 0x0000_0000.</summary>
public enum MemoryMode { MainFlash = 0, SystemFlash = 1, Sram = 3 }

/// <summary>
/// The state an operation cut by power loss leaves. <see cref="NotStarted"/> is MCUboot's sim model (the cut happens
/// just before the operation). <see cref="Torn"/>: a page erase or (half-)page/word write leaves pseudo-random bytes
/// in the addressed unit, an EEPROM write a pseudo-random word, an option-byte write the new value with the old
/// complement (OPTVERR at next load, then the *OnComplementMismatch fallbacks).
/// </summary>
public enum InterruptedOperation { NotStarted, Torn }
