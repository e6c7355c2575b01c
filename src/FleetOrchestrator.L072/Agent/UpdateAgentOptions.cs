using FleetOrchestrator.Firmware.Versioning;

namespace FleetOrchestrator.L072.Agent;

/// <summary>Policy of the firmware's update agent and boot guard.</summary>
public sealed record UpdateAgentOptions
{
    /// <summary>Resets a trial image causes (PROTOCOL.md §8.5: watchdogs, software, firewall, low-power) before
    /// the guard reverts.</summary>
    public int MaxFailedTrialBoots { get; init; } = 3;
    /// <summary>IWDG the firmware starts on every boot: PR=4 (/64), RLR=0xFFF ≈ 7.1 s at 37 kHz.</summary>
    public int WatchdogPrescaler { get; init; } = 4;
    public int WatchdogReload { get; init; } = 0xFFF;
    /// <summary>How many resets in a row the model follows before it calls the device crash-looping.</summary>
    public int MaxResetsWhileSettling { get; init; } = 32;
    /// <summary>Version of this agent (reported as the device's bootloader/agent version).</summary>
    public SemanticVersion AgentVersion { get; init; } = new(1, 0, 0);
    /// <summary>
    /// A release this unit crashes on (a bug only its variant hits): an image of this version behaves as
    /// <see cref="Images.ImageBehaviour.CrashLoop"/> here whatever its marker says; null: none. Lets a simulated fleet
    /// carry one release that crashes on a share of its devices.
    /// </summary>
    public SemanticVersion? CrashesOnVersion { get; init; }

    public static UpdateAgentOptions Default { get; } = new();
}
