using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.L072.Device;

namespace FleetOrchestrator.L072.Agent;

/// <summary>What the device is doing, as seen from outside.</summary>
public enum DeviceRunState
{
    Unpowered,
    /// <summary>An image runs (possibly one failing its health check).</summary>
    Running,
    /// <summary>The image hangs and no IWDG runs to reset it.</summary>
    Hung,
    /// <summary>The image keeps resetting and nothing reverts it.</summary>
    CrashLooping,
    /// <summary>Stuck in the ROM bootloader waiting for a host: bricked in the field.</summary>
    RomWaitingForHost,
    /// <summary>Booted from SRAM (BOOT0=1, nBOOT1=0).</summary>
    SramBoot,
    /// <summary>No usable vector table at 0x0800_0000: the core locked up. Bricked.</summary>
    Lockup,
}

/// <summary>Update phase as the agent reports it.</summary>
public enum UpdatePhase
{
    Committed,
    /// <summary>Running the trial image, boot guard armed, waiting for commit.</summary>
    Trial,
    /// <summary>Back on the previous image after a revert (see <see cref="AgentReport.LastRevert"/>).</summary>
    RolledBack,
}

/// <summary>Why the MCU last reset (highest-priority RCC_CSR flag seen by the firmware at boot).</summary>
public enum DeviceResetCause { PowerOn, Pin, Software, OptionByteLoad, IndependentWatchdog, WindowWatchdog, LowPower, Firewall }

/// <summary>A verified image waiting in the inactive bank.</summary>
public sealed record StagedImageInfo(uint Crc, int Size, SemanticVersion? Version);

/// <summary>
/// What a device reports. The active bank comes from UFB (never from BFB2, pitfall P7). Running identity: the
/// marker's version when there is one, and the CRC of the image (size from the marker, else the bank trimmed of
/// trailing erased words).
/// </summary>
public sealed record AgentReport(
    DeviceRunState RunState,
    SemanticVersion? RunningVersion,
    uint? RunningImageCrc,
    int ActiveBank,
    bool Ufb,
    bool Bfb2,
    UpdatePhase Phase,
    int FailedTrialBoots,
    DeviceResetCause LastResetCause,
    StagedImageInfo? Staged,
    RevertReason LastRevert,
    bool HealthOk,
    RomBootloaderVersion RomBootloader,
    SiliconRevision Revision,
    RdpLevel Rdp,
    int FlashSizeKb,
    SemanticVersion AgentVersion);
