namespace FleetOrchestrator.Simulation.Populations;

/// <summary>One thing wrong with a population file, named by its JSON path (<c>$.cells</c>).</summary>
public sealed record PopulationProblem(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}
