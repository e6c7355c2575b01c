namespace FleetOrchestrator.Simulation.Runs;

/// <summary>One rollout wave in <see cref="SimulationProgress"/>: phase, devices, finished ones, counts, gate
/// state.</summary>
public sealed record SimulationWaveProgress(
    string Name,
    string Phase,
    int Devices,
    int Finished,
    IReadOnlyDictionary<string, int> Outcomes,
    string GateState);
