using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace FleetOrchestrator.Server.OpenApi;

/// <summary>
/// The operator API's contract: an OpenAPI document at <see cref="DocumentPath"/> (ASP.NET Core's built-in
/// generator), open to anyone who reaches the server, like <c>/healthz</c>: it names the routes and their shapes,
/// never data or keys. Every endpoint the app maps is in it, except those marked
/// <see cref="OpenApiRouteHandlerBuilderExtensions.ExcludeFromDescription{TBuilder}"/> (the scrape, the document
/// itself); a test holds the two lists together.
/// </summary>
public static class FleetOpenApi
{
    public const string DocumentName = "v1";
    public const string DocumentPath = "/openapi/v1.json";

    public static IServiceCollection AddFleetOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(DocumentName, options =>
        {
            options.AddDocumentTransformer<FleetDocumentTransformer>();
            options.AddOperationTransformer<FleetOperationTransformer>();
        });

    public static IEndpointRouteBuilder MapFleetOpenApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous().ExcludeFromDescription();
        return endpoints;
    }
}
