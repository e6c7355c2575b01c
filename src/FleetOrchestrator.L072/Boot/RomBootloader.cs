using FleetOrchestrator.L072.Device;

namespace FleetOrchestrator.L072.Boot;

/// <summary>
/// The boot-pin / BFB2 / ROM decision of reference §5 (AN2606 Table 2 pattern 7, RM0376 §3.3.2) as a pure function.
/// </summary>
public static class RomBootloader
{
    public static BootDecision Decide(BootInputs input, L072Assumptions assumptions)
    {
        var direct = new BootDecision(BootPath.Bank1Direct, Ufb: false, MemoryMode.MainFlash);
        bool dualBankRequested = input.Bfb2 && input.DualBankPart && !input.Boot0;

        if (input.Rdp == RdpLevel.Level2)
        {
            // AN2606 §4.1: RDP 2 disables every ROM path, BOOT0 included. BFB2 -> L072Assumptions.Bfb2UnderRdp2.
            if (dualBankRequested && assumptions.Bfb2UnderRdp2 == Bfb2Fallback.StaysInRom)
                return new BootDecision(BootPath.RomWaitingForHost, false, MemoryMode.SystemFlash);
            return direct;
        }

        if (input.Boot0)
            return input.NBoot1
                ? new BootDecision(BootPath.RomWaitingForHost, false, MemoryMode.SystemFlash)
                : new BootDecision(BootPath.Sram, false, MemoryMode.Sram);

        if (!dualBankRequested) return direct;

        if (!input.Rom.SupportsDualBankBoot)
            return Fallback(assumptions.Bfb2OnRomWithoutDualBankBoot); // L072Assumptions.Bfb2OnRomWithoutDualBankBoot (P5)
        if (input.Revision < SiliconRevision.Z)
            return Fallback(assumptions.Bfb2BeforeRevisionZ); // L072Assumptions.Bfb2BeforeRevisionZ (P5)

        // Bank 2 first, then bank 1; exact L0 flowchart [UNVERIFIED], reference §5 steps 2-3.
        if (input.Bank2Valid) return new BootDecision(BootPath.DualBankBank2, Ufb: true, assumptions.MemModeAfterDualBankBoot);
        if (input.Bank1Valid) return new BootDecision(BootPath.DualBankBank1, Ufb: false, assumptions.MemModeAfterDualBankBoot);
        return new BootDecision(BootPath.RomWaitingForHost, false, MemoryMode.SystemFlash);

        BootDecision Fallback(Bfb2Fallback f) => f == Bfb2Fallback.StaysInRom
            ? new BootDecision(BootPath.RomWaitingForHost, false, MemoryMode.SystemFlash)
            : direct;
    }

    /// <summary>
    /// The ROM's "valid code" test on a bank's first word (initial SP); see L072Assumptions.RomValidStackPointer*
    /// and L072Assumptions.RomChecksResetVector.
    /// </summary>
    public static bool IsValidBank(uint initialSp, uint resetVector, L072Assumptions assumptions)
    {
        bool sp = (initialSp & 3) == 0
                  && initialSp > assumptions.RomValidStackPointerLowExclusive
                  && initialSp <= assumptions.RomValidStackPointerHighInclusive;
        if (!sp) return false;
        if (!assumptions.RomChecksResetVector) return true;
        return (resetVector & 1) == 1 && (resetVector & ~1u) >= L072Part.FlashBase && (resetVector & ~1u) < L072Part.FlashBase + 0x0003_0000;
    }
}
