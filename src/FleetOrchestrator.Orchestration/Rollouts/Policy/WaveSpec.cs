namespace FleetOrchestrator.Orchestration.Rollouts.Policy;

/// <summary>
/// One stage: exactly one of <see cref="Devices"/> (a count, for a canary) or <see cref="Percent"/> (the cumulative
/// share of the target commanded by the end of this wave).
/// </summary>
/// <param name="Gate">Overrides the rollout's gate for this wave; null: the rollout's.</param>
public sealed record WaveSpec(string Name, int? Devices, double? Percent, GatePolicy? Gate);
