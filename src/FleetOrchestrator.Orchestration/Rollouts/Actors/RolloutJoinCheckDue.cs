namespace FleetOrchestrator.Orchestration.Rollouts.Actors;

/// <summary>The periodic timer of the joiner check (<see cref="RolloutJoiners"/>).</summary>
internal sealed class RolloutJoinCheckDue
{
    public static readonly RolloutJoinCheckDue Instance = new();

    private RolloutJoinCheckDue()
    {
    }
}
