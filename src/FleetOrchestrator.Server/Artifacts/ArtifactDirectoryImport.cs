using FleetOrchestrator.Server.Hosting;

namespace FleetOrchestrator.Server.Artifacts;

/// <summary>
/// Moves a node from the file store to the shared one: the artifacts an older data directory holds are copied into
/// the shared store once, recorded by a marker in <see cref="ISharedServerSecrets"/> (per directory), so an
/// artifact deleted later through the API is not imported again at the next start. The directory itself is left as
/// it was: nothing is lost, and an older version can still run on it.
/// </summary>
public static class ArtifactDirectoryImport
{
    public const string MarkerPrefix = "imported-artifacts:";

    /// <summary>Null when there was nothing to do (no directory, or imported before).</summary>
    public static ArtifactImportResult? Run(string directory, ArtifactStore shared, ISharedServerSecrets markers)
    {
        ArgumentNullException.ThrowIfNull(shared);
        ArgumentNullException.ThrowIfNull(markers);
        var full = Path.GetFullPath(directory);
        if (!Directory.Exists(full)) return null;
        var marker = MarkerPrefix + full;
        if (markers.Find(marker) is not null) return null;
        // No hot cache: every image is read (and checked) once.
        var files = new ArtifactStore(full, hotCacheBytes: 0);
        var found = files.List();
        int imported = 0;
        var damaged = new List<string>();
        foreach (var artifact in found)
        {
            if (files.DamageOf(artifact.Id) is { } problem)
            {
                damaged.Add($"{artifact.Id}: {problem}");
                continue;
            }
            var image = files.ReadImage(artifact.Id)!;
            if (shared.Save(artifact.Metadata, image, artifact.Manifest).Created) imported++;
        }
        // Only after every artifact is in: a crash before this line repeats an import that changes nothing twice.
        markers.GetOrAdd(marker, () => DateTimeOffset.UtcNow.ToString("O"));
        return new ArtifactImportResult(found.Count, imported, damaged);
    }
}
