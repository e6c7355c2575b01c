namespace FleetOrchestrator.Orchestration.Rollouts.Messages;

/// <summary>
/// Approves the wave awaiting approval, or overrides a gate's halt (onHalt pause) so the next wave starts.
/// <see cref="Wave"/>, when given, must be the current wave (an approval meant for an earlier screen is refused).
/// </summary>
public sealed record ApproveWave(string RolloutId, OperatorAction By, int? Wave = null)
    : IWithRolloutId, IRolloutMessage;
