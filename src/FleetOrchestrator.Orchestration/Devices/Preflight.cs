using FleetOrchestrator.Firmware.Images;
using FleetOrchestrator.Orchestration.Devices.Messages;
using FleetOrchestrator.Protocol.Messages;

namespace FleetOrchestrator.Orchestration.Devices;

/// <summary>The preflight's verdict on one device for one target.</summary>
public abstract record PreflightVerdict
{
    public sealed record Pass : PreflightVerdict;
    public sealed record UpToDate : PreflightVerdict;
    public sealed record Refuse(string Reason) : PreflightVerdict;
}

/// <summary>
/// Pure compatibility rules, checked against the device's own report before anything is sent. Each refusal reason
/// starts with a stable key (before the colon) that rollouts and the read model can group by.
/// </summary>
public static class Preflight
{
    /// <summary>The only flash size whose two 96 KB banks hold our images. 128 KB parts have 64 KB banks; single-bank
    /// parts cannot swap. Named assumption: refused outright rather than checking whether the image fits.</summary>
    public const int DualBankFlashSizeKb = 192;

    /// <summary>Silicon revisions before Z lack the dual-bank fixes the update relies on.</summary>
    public const string MinimumSiliconRevision = "Z";

    public static PreflightVerdict Check(DeviceStateReport report, UpdateTarget target)
    {
        var hw = report.Hardware;
        if (report.RunningVersion == target.Version)
            return new PreflightVerdict.UpToDate();
        if (!string.Equals(hw.Target, target.HardwareTarget, StringComparison.OrdinalIgnoreCase))
            return new PreflightVerdict.Refuse($"hardware-target: device is {hw.Target}, image is built for {target.HardwareTarget}");
        // The L072 model's ROM rule (L072RomBootloader): without dual-bank boot a swap never boots bank 2.
        if (!L072RomBootloader.SupportsDualBankBoot(hw.RomBootloader))
            return new PreflightVerdict.Refuse(
                $"rom-bootloader: ROM {hw.RomBootloader} has no dual-bank boot (needs 4.1+ or 11.2+)");
        if (string.CompareOrdinal(hw.SiliconRevision, MinimumSiliconRevision) < 0)
            return new PreflightVerdict.Refuse($"silicon-revision: rev {hw.SiliconRevision} is before rev {MinimumSiliconRevision}");
        if (hw.RdpLevel >= 2)
            return new PreflightVerdict.Refuse("rdp-level: RDP level 2 locks flash and option bytes for good");
        if (hw.FlashSizeKb != DualBankFlashSizeKb)
            return new PreflightVerdict.Refuse($"flash-size: {hw.FlashSizeKb} KB part, only {DualBankFlashSizeKb} KB dual-bank parts (96 KB banks) are supported");
        if (hw.BootloaderVersion < target.MinBootloader)
            return new PreflightVerdict.Refuse($"bootloader-version: device has {hw.BootloaderVersion}, image needs {target.MinBootloader} or later");
        if (report.RunningVersion > target.Version && !target.AllowDowngrade)
            return new PreflightVerdict.Refuse($"downgrade: device runs {report.RunningVersion}, target {target.Version} is older and downgrade is not allowed");
        return new PreflightVerdict.Pass();
    }
}
