namespace FleetOrchestrator.Orchestration.Rollouts.Events;

/// <summary>
/// Everything a rollout actor persists: facts in the past tense, each with the time it happened (<see cref="At"/>,
/// from the scheduler so tests control it). Serialized by the fleet serializer under short stable manifests
/// (extend-only).
/// </summary>
public interface IRolloutEvent
{
    DateTimeOffset At { get; }
}
