namespace FleetOrchestrator.Orchestration.Rollouts.Policy;

/// <summary>One thing wrong with a submitted policy, named by its JSON path (<c>$.gate.successAtLeast</c>).</summary>
public sealed record PolicyProblem(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}
