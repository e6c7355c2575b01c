namespace FleetOrchestrator.Server.Artifacts;

/// <summary>A stored image no longer matches its metadata; the message names the artifact and why, never a
/// path.</summary>
public sealed class ArtifactDamagedException(string id, string problem)
    : IOException($"artifact {id} is damaged on the server: {problem}; it is not served")
{
    public string ArtifactId { get; } = id;
    public string Problem { get; } = problem;
}
