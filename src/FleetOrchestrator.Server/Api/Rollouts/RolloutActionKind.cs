namespace FleetOrchestrator.Server.Api.Rollouts;

/// <summary>The operator actions <c>POST /api/rollouts/{id}/{action}</c> takes (the action is the lower-case
/// name).</summary>
public enum RolloutActionKind
{
    Pause,
    Resume,
    Approve,
    Cancel,
    Rollback,
    Activate,
}
