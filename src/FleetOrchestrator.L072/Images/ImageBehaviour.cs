namespace FleetOrchestrator.L072.Images;

/// <summary>What a synthetic image does once the core jumps to it (read by the model's "CPU" from the marker).</summary>
public enum ImageBehaviour : byte
{
    /// <summary>Runs normally, refreshes the IWDG, passes its health check.</summary>
    Boots = 0,
    /// <summary>Resets right after its boot guard ran (HardFault handler -> NVIC_SystemReset, SFTRSTF).</summary>
    CrashLoop = 1,
    /// <summary>Stops refreshing the IWDG right after its boot guard ran, so the IWDG resets it (IWDGRSTF).</summary>
    Hang = 2,
    /// <summary>Runs, but its health check fails.</summary>
    FailsHealth = 3,
}
