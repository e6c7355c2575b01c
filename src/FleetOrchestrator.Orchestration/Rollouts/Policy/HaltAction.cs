namespace FleetOrchestrator.Orchestration.Rollouts.Policy;

/// <summary>What a rollout does when a gate halts it.</summary>
public enum HaltAction
{
    /// <summary>Stop commanding new devices and wait for the operator.</summary>
    Pause,
    /// <summary>Return the halted wave's updated devices to their previous image.</summary>
    RollbackWave,
    /// <summary>Return every device this rollout updated to its previous image.</summary>
    RollbackAll,
}
