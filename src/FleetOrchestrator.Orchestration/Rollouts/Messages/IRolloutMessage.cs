namespace FleetOrchestrator.Orchestration.Rollouts.Messages;

/// <summary>
/// Marker for every message to or from a rollout actor that may cross nodes; the fleet serializer is bound to it
/// (hocon/base.conf), so none falls back to the CLR-type-name serializer.
/// </summary>
public interface IRolloutMessage;
