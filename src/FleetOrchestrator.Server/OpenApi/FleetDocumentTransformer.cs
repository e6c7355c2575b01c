using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace FleetOrchestrator.Server.OpenApi;

/// <summary>
/// Document-wide parts: the title, the two security schemes (operators' bearer API key, devices' HTTP Basic with
/// their MQTT credentials), the problem+json schema every error uses, and <c>/healthz</c>, which the health-check
/// middleware maps without the metadata the generator reads.
/// </summary>
internal sealed class FleetDocumentTransformer : IOpenApiDocumentTransformer
{
    public const string OperatorScheme = "operatorKey";
    public const string DeviceScheme = "deviceBasic";
    public const string ProblemSchema = "FleetProblem";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context,
        CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "FleetOrchestrator",
            Version = "v1",
            Description = "Operator API of fleet serve (docs/serve.md, docs/rollouts.md) and the device download. "
                + "Every error answers application/problem+json (RFC 9457).",
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[OperatorScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "The operator API key: Authorization: Bearer <key> (printed once by fleet serve)",
        };
        document.Components.SecuritySchemes[DeviceScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "basic",
            Description = "A device's id and secret, the same it logs in to MQTT with",
        };
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[ProblemSchema] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "RFC 9457 problem details; endpoints may add fields (e.g. errors, artifactId)",
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["type"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer },
                ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String },
            },
        };
        document.Paths ??= new OpenApiPaths();
        document.Paths["/healthz"] = new OpenApiPathItem
        {
            Operations = new Dictionary<HttpMethod, OpenApiOperation>
            {
                [HttpMethod.Get] = new()
                {
                    Summary = "Liveness: 200 Healthy while the process serves",
                    OperationId = "Health",
                    Responses = new OpenApiResponses
                    {
                        ["200"] = new OpenApiResponse
                        {
                            Description = "Healthy",
                            Content = new Dictionary<string, OpenApiMediaType>
                            {
                                ["text/plain"] = new() { Example = JsonValue.Create("Healthy") },
                            },
                        },
                    },
                },
            },
        };
        return Task.CompletedTask;
    }
}
