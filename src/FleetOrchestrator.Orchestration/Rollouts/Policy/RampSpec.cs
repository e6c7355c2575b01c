namespace FleetOrchestrator.Orchestration.Rollouts.Policy;

/// <summary>Exponential ramp: the first wave takes <see cref="Start"/> percent, each next one <see cref="Factor"/> times more, up to 100.</summary>
public sealed record RampSpec(double Start, double Factor);
