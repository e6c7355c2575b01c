namespace FleetOrchestrator.Server.Artifacts;

/// <summary>What an <see cref="ArtifactDirectoryImport"/> did: artifacts found in the directory, how many were new to
/// the shared store, and the damaged ones it left in the directory (id and reason).</summary>
public sealed record ArtifactImportResult(int Found, int Imported, IReadOnlyList<string> Damaged);
