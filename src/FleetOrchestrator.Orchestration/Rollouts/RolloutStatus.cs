namespace FleetOrchestrator.Orchestration.Rollouts;

/// <summary>Where a rollout stands (the README's "Rollouts" table says what enters and leaves each).</summary>
public enum RolloutStatus
{
    /// <summary>No StartRollout yet: the entity exists only because someone asked about it.</summary>
    None,
    /// <summary>Download-only, before <c>activate</c>: every device stages the image; no swap is authorized.</summary>
    Staging,
    /// <summary>Commanding the current wave's devices and judging its gate.</summary>
    Running,
    /// <summary>An operator paused: nothing new is commanded and no gate is judged until resume.</summary>
    Paused,
    /// <summary>A gate halted it (onHalt pause, or a rollback that cannot run): waits for the operator.</summary>
    Halted,
    /// <summary>The last wave passed its gate.</summary>
    Completed,
    /// <summary>An operator cancelled: running sagas were told to cancel (each compensates by its own phase).</summary>
    Cancelled,
    /// <summary>Updated devices are returning to their previous image (onHalt rollback, or the operator).</summary>
    RollingBack,
    /// <summary>Every rollback saga this rollout started has concluded.</summary>
    RolledBack,
}
