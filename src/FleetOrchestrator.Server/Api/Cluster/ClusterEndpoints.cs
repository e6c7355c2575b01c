using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace FleetOrchestrator.Server.Api.Cluster;

/// <summary>
/// <c>GET /api/cluster</c> (any role): the cluster as the answering node sees it. The status comes from DI by
/// attribute, so a host without an actor system (a test rig of the HTTP side) still maps the API; it answers 500 there.
/// </summary>
internal static class ClusterEndpoints
{
    public static void MapClusterApi(this RouteGroupBuilder api) =>
        api.MapGet("/cluster", async ([FromServices] IClusterStatus status, CancellationToken ct) =>
            TypedResults.Ok(await status.ReadAsync(ct).ConfigureAwait(false)));
}
