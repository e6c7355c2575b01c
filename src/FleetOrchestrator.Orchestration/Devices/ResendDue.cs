namespace FleetOrchestrator.Orchestration.Devices;

/// <summary>Periodic timer: re-send the command the saga is waiting on (same id).</summary>
public sealed class ResendDue
{
    public static readonly ResendDue Instance = new();
    private ResendDue() { }
}
