using System.Collections.Concurrent;
using FleetOrchestrator.Server.Api;

namespace FleetOrchestrator.Server.Tests.Fakes;

/// <summary>The artifacts some saga references, as a set the test fills.</summary>
internal sealed class InMemoryArtifactReferences : IArtifactReferences
{
    private readonly ConcurrentDictionary<string, bool> _referenced = new(StringComparer.Ordinal);

    public void Reference(string artifactId) => _referenced[artifactId] = true;

    public void Release(string artifactId) => _referenced.TryRemove(artifactId, out _);

    public Task<bool> IsReferencedAsync(string artifactId, CancellationToken cancellationToken) =>
        Task.FromResult(_referenced.ContainsKey(artifactId));
}
