namespace FleetOrchestrator.Server.Artifacts;

/// <summary>
/// Where a deployment of several nodes keeps its artifacts (the host's database): every node lists, serves and deletes
/// the same ones. Rows are immutable: an artifact is added whole or not at all, and removed whole.
/// <see cref="ArtifactStore"/> checks integrity and caches on top of it.
/// </summary>
public interface IArtifactRepository
{
    /// <summary>Every stored artifact (without image bytes).</summary>
    IReadOnlyList<StoredArtifact> List();

    /// <summary>The artifact with this id, or null.</summary>
    StoredArtifact? Find(string id);

    /// <summary>The stored image bytes as they are (unchecked), or null when the artifact is not stored.</summary>
    byte[]? ReadImage(string id);

    /// <summary>Stores the artifact; false (and nothing changed) when its id is already stored.</summary>
    bool TryAdd(StoredArtifact artifact, ReadOnlySpan<byte> image);

    /// <summary>Removes the artifact; false when it was not stored.</summary>
    bool Delete(string id);
}
