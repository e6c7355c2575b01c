namespace FleetOrchestrator.Simulation.Runs;

/// <summary>Devices concluded by outcome, cumulative, <see cref="Seconds"/> after the updates began.</summary>
public sealed record OutcomeSample(double Seconds, IReadOnlyDictionary<string, int> Cumulative);
