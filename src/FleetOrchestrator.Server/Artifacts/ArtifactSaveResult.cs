namespace FleetOrchestrator.Server.Artifacts;

/// <summary><see cref="Created"/> is false when the same bytes were already stored: the existing artifact is returned untouched.</summary>
public sealed record ArtifactSaveResult(StoredArtifact Artifact, bool Created);
