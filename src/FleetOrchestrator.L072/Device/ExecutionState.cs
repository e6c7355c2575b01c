namespace FleetOrchestrator.L072.Device;

/// <summary>Where the core is after the hardware boot decision.</summary>
public enum ExecutionState
{
    Unpowered,
    /// <summary>Executing from main flash: the bank SYSCFG.UFB maps at 0x0800_0000.</summary>
    ExecutingFlash,
    /// <summary>The ROM bootloader waits for a host on USART/USB: a field device is bricked.</summary>
    RomWaitingForHost,
    /// <summary>Booted from SRAM (BOOT0=1, nBOOT1=0): no firmware runs.</summary>
    ExecutingSram,
    /// <summary>The core faulted on an unusable vector table and locked up: no image runs.</summary>
    Lockup,
}
