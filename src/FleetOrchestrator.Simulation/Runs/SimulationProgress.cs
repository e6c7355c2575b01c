namespace FleetOrchestrator.Simulation.Runs;

/// <summary>
/// What the run's periodic progress line says, as data, for a live display (`fleet simulate` on a terminal): time,
/// devices finished by outcome, in flight, throughput, memory, and in a rollout run its status and each wave.
/// </summary>
public sealed record SimulationProgress(
    double Seconds,
    int Devices,
    int Done,
    IReadOnlyDictionary<string, int> Outcomes,
    int InFlight,
    double DevicesPerSecond,
    long WorkingSetMegabytes,
    string? RolloutStatus,
    IReadOnlyList<SimulationWaveProgress> Waves);
