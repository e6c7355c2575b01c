namespace FleetOrchestrator.Protocol.Messages;

/// <summary>
/// The trial-boot rule of PROTOCOL.md §8.5 (its one statement; this is its code for the orchestrator side): a reset
/// the trial image caused counts against its trial; a power cut, the reset pin or the option-byte load of the swap
/// is not the image's fault and does not.
/// </summary>
public static class TrialBoots
{
    public static bool CountsAgainstTrial(ResetCause cause) => cause is ResetCause.IndependentWatchdog
        or ResetCause.WindowWatchdog or ResetCause.Software or ResetCause.Firewall or ResetCause.LowPower;
}
