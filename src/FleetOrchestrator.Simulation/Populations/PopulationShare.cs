namespace FleetOrchestrator.Simulation.Populations;

/// <summary>One value of a population dimension and the share of devices (0..1) that carry it.</summary>
public sealed record PopulationShare(string Value, double Share);
