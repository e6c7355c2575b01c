namespace FleetOrchestrator.Orchestration.Devices;

/// <summary>Where a device's update saga stands. <see cref="Completed"/> carries an <see cref="UpdateOutcome"/>.</summary>
public enum SagaPhase
{
    /// <summary>No saga ever ran on this device.</summary>
    None,
    CheckingVersion,
    /// <summary>The device runs a trial image an earlier saga left: rolling it back before the preflight.</summary>
    ClearingTrial,
    Downloading,
    DownloadBackoff,
    /// <summary>Download-only: image staged and verified, waiting for ActivateUpdate.</summary>
    Staged,
    AwaitingSwapAck,
    AwaitingBoot,
    HealthWindow,
    /// <summary>The health window ended without a verdict: asking, waiting up to HealthReportDeadline.</summary>
    AwaitingHealth,
    Committing,
    RollingBack,
    /// <summary>A rollback is due but the device does not answer: surfaced, not terminal, keeps waiting.</summary>
    RollbackPending,
    Completed,
}

/// <summary>Terminal outcomes of a saga.</summary>
public enum UpdateOutcome
{
    Updated,
    UpToDate,
    Incompatible,
    RolledBack,
    Failed,
    Lost,
    /// <summary>Operator cancel before the swap: the device never left its image.</summary>
    Cancelled,
    /// <summary>
    /// Was Updated, then the device reported another version (RevertAfterCommitObserved): a failure of the update. A
    /// <c>SagaOutcome</c> with it may follow the Updated one for the same update id.
    /// </summary>
    RevertedAfterCommit,
}

/// <summary>How a rollback brings the device back: by command, or by the device's boot guard on its own.</summary>
public enum RollbackMode
{
    /// <summary>The device runs the new image: RollBack was sent.</summary>
    Commanded,
    /// <summary>The new image never reported: the boot guard (IWDG + boot counter) must revert on its own.</summary>
    AwaitBootGuard,
}
