namespace FleetOrchestrator.Server.Api;

/// <summary>
/// Whether an update saga still needs an artifact: implemented by the host over the fleet read model. An artifact a
/// saga references cannot be deleted (its devices may still download it or be told about it).
/// </summary>
public interface IArtifactReferences
{
    /// <summary>True when some device's saga that is not finished targets <paramref name="artifactId"/>.</summary>
    Task<bool> IsReferencedAsync(string artifactId, CancellationToken cancellationToken);
}
