namespace FleetOrchestrator.Orchestration.Devices;

/// <summary>Timer message for the saga's one persisted deadline. Ignored unless <see cref="Generation"/> is the saga's
/// current <see cref="UpdateSaga.DeadlineGeneration"/> (a later transition makes earlier timers stale).</summary>
public sealed record DeadlineReached(int Generation);
