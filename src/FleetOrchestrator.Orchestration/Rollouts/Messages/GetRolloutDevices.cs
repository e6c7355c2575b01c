namespace FleetOrchestrator.Orchestration.Rollouts.Messages;

/// <summary>
/// Asks a page of a rollout's devices (of one wave, or all), in wave order and within a wave in the order they are
/// commanded; answered with <see cref="RolloutDevicesPage"/>. <see cref="Take"/> is capped at
/// <see cref="MaxTake"/>.
/// </summary>
public sealed record GetRolloutDevices(string RolloutId, int? Wave = null, int Skip = 0, int Take = 100)
    : IWithRolloutId, IRolloutMessage
{
    public const int MaxTake = 5000;
}
