namespace FleetOrchestrator.Orchestration.Rollouts;

/// <summary>Where one device of a rollout stands, as the rollout sees it.</summary>
public enum RolloutDeviceStep
{
    /// <summary>In a wave, not commanded yet.</summary>
    Pending,
    /// <summary>StartUpdate sent; its saga has not concluded.</summary>
    Commanded,
    /// <summary>Its saga concluded (or the device refused the start: busy with another update).</summary>
    Finished,
    /// <summary>A rollback saga towards the previous image runs.</summary>
    RollingBack,
    /// <summary>The rollback saga concluded (see <see cref="RolloutDevice.RollbackOutcome"/>).</summary>
    RolledBack,
}
