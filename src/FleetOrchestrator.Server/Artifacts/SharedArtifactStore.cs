using FleetOrchestrator.Server.Hosting;
using Microsoft.Extensions.Logging;

namespace FleetOrchestrator.Server.Artifacts;

/// <summary>Opens the store over the shared repository and imports the data directory's artifact files once.</summary>
internal static class SharedArtifactStore
{
    public static ArtifactStore Open(IArtifactRepository repository, FleetServerOptions options,
        ISharedServerSecrets markers, ILogger log)
    {
        var store = new ArtifactStore(repository, options.HotArtifactCacheBytes);
        var directory = options.ResolveArtifactsDirectory();
        if (ArtifactDirectoryImport.Run(directory, store, markers) is not { } import) return store;
        store.LastImport = import;
        log.LogWarning(
            "Imported {Imported} of the {Found} artifact(s) in {Directory} into the database ({Known} were there " +
            "already); the directory is no longer read", import.Imported, import.Found, directory,
            import.Found - import.Imported - import.Damaged.Count);
        foreach (var damaged in import.Damaged)
            log.LogWarning("Not imported, damaged (it stays in {Directory}): {Artifact}", directory, damaged);
        return store;
    }
}
