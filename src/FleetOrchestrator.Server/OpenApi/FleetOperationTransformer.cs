using FleetOrchestrator.Server.Hosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace FleetOrchestrator.Server.OpenApi;

/// <summary>
/// Per operation: the security its authorization policy demands (with the 401, and the 403 of a device download
/// without a grant), and a <c>default</c> problem+json response, since every error of the server is one
/// (FleetProblems, the problem-responses startup filter).
/// </summary>
internal sealed class FleetOperationTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context,
        CancellationToken cancellationToken)
    {
        var document = context.Document;
        operation.Responses ??= new OpenApiResponses();
        var policies = context.Description.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>()
            .Select(a => a.Policy).ToHashSet();
        var anonymous = context.Description.ActionDescriptor.EndpointMetadata.OfType<IAllowAnonymous>().Any();
        var scheme = anonymous ? null
            : policies.Contains(FleetPolicies.Device) ? FleetDocumentTransformer.DeviceScheme
            : policies.Count > 0 ? FleetDocumentTransformer.OperatorScheme
            : null;
        if (scheme is not null)
        {
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(scheme, document)] = [],
            });
            operation.Responses.TryAdd("401", Problem("Missing or wrong credentials", document));
            if (scheme == FleetDocumentTransformer.DeviceScheme)
                operation.Responses.TryAdd("403", Problem("No valid download grant for this device", document));
        }
        operation.Responses.TryAdd("default", Problem("Any other error", document));
        foreach (var (status, response) in operation.Responses)
        {
            // Problems the endpoints declare (Produces...) are named after the framework's type; ours is one schema.
            if (status.StartsWith('4') || status.StartsWith('5'))
                operation.Responses[status] = Problem(response.Description ?? "Error", document);
        }
        return Task.CompletedTask;
    }

    private static OpenApiResponse Problem(string description, OpenApiDocument? document) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType>
        {
            ["application/problem+json"] = new()
            {
                Schema = new OpenApiSchemaReference(FleetDocumentTransformer.ProblemSchema, document),
            },
        },
    };
}
