using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.L072.Agent;
using FleetOrchestrator.Protocol.Messages;

namespace FleetOrchestrator.Simulation.Devices;

/// <summary>
/// Turns the model's own account of itself (<see cref="AgentReport"/>: UFB, OPTR, RCC_CSR as latched at boot, the boot
/// record) into the protocol's state report. Nothing here is cached: every report is read from the model's registers.
/// </summary>
public static class AgentReportMapping
{
    /// <summary>Reported when the running image carries no version marker (a real toolchain image).</summary>
    public static readonly SemanticVersion UnknownVersion = new(0, 0, 0);

    /// <param name="inactive">The agent's proof of the inactive bank (<see cref="UpdateAgent.InactiveImage"/>), taken
    /// for this report; an image without a version marker is not reported (the protocol names images by
    /// version).</param>
    public static DeviceStateReport ToStateReport(
        AgentReport r, string hardwareTarget, InactiveImageInfo? inactive = null) => new(
        r.RunningVersion ?? UnknownVersion,
        ToBank(r.ActiveBank),
        r.Bfb2,
        r.Phase == UpdatePhase.Trial ? ImageState.Trial : ImageState.Committed,
        ToResetCause(r.LastResetCause),
        new HardwareInfo(hardwareTarget, r.FlashSizeKb, r.RomBootloader.ToString(), r.Revision.ToString(), (int)r.Rdp, r.AgentVersion),
        r.RunningImageCrc ?? 0,
        r.Staged?.Version,
        // The model's self-test is done by the time the firmware reports: a trial's verdict is already known.
        r.Phase == UpdatePhase.Trial ? (r.HealthOk ? TrialHealth.Passed : TrialHealth.Failed) : null,
        inactive is { Version: { } version }
            ? new InactiveBankImage(version, inactive.Size, inactive.CrcNow, inactive.Intact)
            : null);

    public static BankId ToBank(int physicalBank) => physicalBank == 2 ? BankId.Bank2 : BankId.Bank1;

    public static ResetCause ToResetCause(DeviceResetCause cause) => cause switch
    {
        DeviceResetCause.PowerOn => ResetCause.PowerOn,
        DeviceResetCause.Pin => ResetCause.Pin,
        DeviceResetCause.Software => ResetCause.Software,
        DeviceResetCause.OptionByteLoad => ResetCause.OptionByteLoad,
        DeviceResetCause.IndependentWatchdog => ResetCause.IndependentWatchdog,
        DeviceResetCause.WindowWatchdog => ResetCause.WindowWatchdog,
        DeviceResetCause.LowPower => ResetCause.LowPower,
        DeviceResetCause.Firewall => ResetCause.Firewall,
        _ => throw new ArgumentOutOfRangeException(nameof(cause), cause, "unknown reset cause"),
    };
}
