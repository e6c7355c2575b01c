namespace FleetOrchestrator.Simulation.Runs;

/// <summary>What one injected fault did: how many devices carried it and how their updates ended.</summary>
public sealed record FaultEffect(int Devices, IReadOnlyDictionary<string, int> Outcomes);
