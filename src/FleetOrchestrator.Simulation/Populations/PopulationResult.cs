namespace FleetOrchestrator.Simulation.Populations;

/// <summary>A population that passed every rule, or every problem found (never both).</summary>
public sealed record PopulationResult(Population? Population, IReadOnlyList<PopulationProblem> Problems)
{
    public bool IsValid => Population is not null;
}
