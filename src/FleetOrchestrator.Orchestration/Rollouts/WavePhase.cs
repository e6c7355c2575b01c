namespace FleetOrchestrator.Orchestration.Rollouts;

/// <summary>Where one wave stands.</summary>
public enum WavePhase
{
    NotStarted,
    /// <summary>Its devices are commanded (within the limits) and the gate waits for their outcomes.</summary>
    Running,
    /// <summary>Every device finished above the thresholds; the soak runs from the wave's last success.</summary>
    Soaking,
    /// <summary>Gate passed, approval is manual: waits for ApproveWave.</summary>
    AwaitingApproval,
    Passed,
    Halted,
    /// <summary>The wave's updated devices were returned to their previous image.</summary>
    RolledBack,
}
