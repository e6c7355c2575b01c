using FleetOrchestrator.Server.Api;
using FleetOrchestrator.Server.Api.Access;
using FleetOrchestrator.Server.Api.Cluster;
using FleetOrchestrator.Server.Api.Rollouts;
using FleetOrchestrator.Server.Dashboard;
using FleetOrchestrator.Server.Downloads;
using FleetOrchestrator.Server.OpenApi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace FleetOrchestrator.Server.Hosting;

/// <summary>Maps every endpoint of the HTTP side: <c>/healthz</c>, the OpenAPI document, the device download, and the
/// operator API under <c>/api</c>.</summary>
public static class FleetEndpointRouteBuilderExtensions
{
    public static IEndpointRouteBuilder MapFleetApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapHealthChecks("/healthz");
        endpoints.MapFleetOpenApi();
        endpoints.MapDeviceDownloads();
        endpoints.MapDashboard();

        var api = endpoints.MapGroup("/api").RequireAuthorization(FleetPolicies.Operator);
        api.MapArtifactApi();
        api.MapDeviceApi();
        api.MapUpdateApi();
        api.MapRolloutApi();
        api.MapKeyApi();
        api.MapAuditApi();
        api.MapClusterApi();
        api.MapDashboardEvents();
        return endpoints;
    }
}
