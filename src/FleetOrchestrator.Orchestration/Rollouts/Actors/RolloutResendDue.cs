namespace FleetOrchestrator.Orchestration.Rollouts.Actors;

/// <summary>Periodic timer: re-send the device requests not answered yet.</summary>
public sealed class RolloutResendDue
{
    public static readonly RolloutResendDue Instance = new();
    private RolloutResendDue() { }
}
