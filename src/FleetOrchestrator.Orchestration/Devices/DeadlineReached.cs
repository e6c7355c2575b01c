namespace FleetOrchestrator.Orchestration.Devices;

/// <summary>Timer message for the saga's one persisted deadline. Ignored unless <see cref="Generation"/> is the saga's
/// current <see cref="UpdateSaga.DeadlineGeneration"/> (a later transition makes earlier timers stale).</summary>
public sealed record DeadlineReached(int Generation);

/// <summary>Periodic timer: re-send the command the saga is waiting on (same id).</summary>
public sealed class ResendDue
{
    public static readonly ResendDue Instance = new();
    private ResendDue() { }
}
