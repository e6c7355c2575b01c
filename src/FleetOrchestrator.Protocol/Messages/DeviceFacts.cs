using FleetOrchestrator.Firmware.Versioning;

namespace FleetOrchestrator.Protocol.Messages;

/// <summary>Which physical bank is mapped at 0x0800_0000, read from SYSCFG_CFGR1.UFB (never inferred from BFB2).</summary>
public enum BankId { Bank1 = 1, Bank2 = 2 }

/// <summary>Whether the running image is on trial (boot guard armed) or committed.</summary>
public enum ImageState { Committed, Trial }

/// <summary>Why the MCU last reset, from RCC_CSR.</summary>
public enum ResetCause { PowerOn, Pin, Software, OptionByteLoad, IndependentWatchdog, WindowWatchdog, LowPower, Firewall }

/// <summary>Hardware identity and boot facts a device reports; the preflight decides on these.</summary>
public sealed record HardwareInfo(
    string Target,              // e.g. "stm32l072cz"; must equal the manifest's hardware target
    int FlashSizeKb,            // 192 for the dual-bank xZ part; 128 has 64 KB banks; 64 is single-bank
    string RomBootloader,       // "4.0" | "4.1" (ROM version; 4.0 has no dual-bank boot)
    string SiliconRevision,     // "A" | "B" | "Z"
    int RdpLevel,               // 0 | 1 | 2
    SemanticVersion BootloaderVersion); // the device's update agent / boot guard version

public sealed record DeviceStateReport(
    SemanticVersion RunningVersion,
    BankId ActiveBank,
    bool Bfb2,
    ImageState ImageState,
    ResetCause LastResetCause,
    HardwareInfo Hardware,
    uint ActiveImageCrc,
    SemanticVersion? StagedVersion,
    TrialHealth? Health = null, // only while on trial; null from devices that predate it
    InactiveBankImage? InactiveBank = null); // null: nothing bootable recorded there, or a device that predates it
