using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace FleetOrchestrator.Server.Api.Cluster;

/// <summary><c>GET /api/cluster</c> (any role): the cluster as the answering node sees it.</summary>
internal static class ClusterEndpoints
{
    public static void MapClusterApi(this RouteGroupBuilder api) =>
        api.MapGet("/cluster", async (IClusterStatus status, CancellationToken ct) =>
            TypedResults.Ok(await status.ReadAsync(ct).ConfigureAwait(false)));
}
