using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using FleetOrchestrator.Host.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace FleetOrchestrator.Host.Tests.Contract;

/// <summary>
/// <c>/openapi/v1.json</c> of the whole composition: every endpoint the app maps (read from its endpoint data
/// sources, so endpoints added later are covered too) is in the document, except the ones marked excluded, and those
/// are exactly the non-API ones named here.
/// </summary>
public sealed partial class OpenApiDocumentTests
{
    /// <summary>Mapped but deliberately not in the contract: the Prometheus scrape and the document itself.</summary>
    private static readonly HashSet<string> ExcludedOnPurpose = ["GET /metrics", "GET /openapi/{documentName}.json"];

    private static async Task<JsonElement> DocumentAsync(HttpClient http)
    {
        using var response = await http.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static IEnumerable<(string Operation, bool Excluded)> MappedOperations(IServiceProvider services)
    {
        var endpoints = services.GetServices<EndpointDataSource>().SelectMany(s => s.Endpoints)
            .OfType<RouteEndpoint>();
        foreach (var endpoint in endpoints)
        {
            var path = "/" + Constraint().Replace(endpoint.RoutePattern.RawText!.TrimStart('/'), "}");
            var excluded = endpoint.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>()?.ExcludeFromDescription
                ?? false;
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            foreach (var method in methods)
                yield return ($"{method} {path}", excluded);
        }
    }

    [Fact]
    public async Task Every_mapped_endpoint_is_in_the_document_unless_excluded_on_purpose()
    {
        await using var fleet = await TestOrchestrator.StartAsync();
        var document = await DocumentAsync(fleet.Anonymous);
        var documented = document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(m => $"{m.Name.ToUpperInvariant()} {p.Name}"))
            .ToHashSet();

        var mapped = MappedOperations(fleet.Host.Web.Services).ToList();

        Assert.True(mapped.Count(m => !m.Excluded) >= 19, string.Join("\n", mapped));
        var missing = mapped.Where(m => !m.Excluded && !documented.Contains(m.Operation)).Select(m => m.Operation);
        Assert.Empty(missing);
        Assert.Equal(ExcludedOnPurpose, mapped.Where(m => m.Excluded).Select(m => m.Operation).ToHashSet());
        var notMapped = documented.Except(mapped.Select(m => m.Operation));
        Assert.Empty(notMapped);
    }

    [Fact]
    public async Task The_document_is_served_with_or_without_a_key_and_declares_security_and_problem_responses()
    {
        await using var fleet = await TestOrchestrator.StartAsync();
        var anonymous = await DocumentAsync(fleet.Anonymous);
        var withKey = await DocumentAsync(fleet.Operator);
        Assert.Equal(anonymous.GetProperty("paths").ToString(), withKey.GetProperty("paths").ToString());

        var schemes = anonymous.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("bearer", schemes.GetProperty("operatorKey").GetProperty("scheme").GetString());
        Assert.Equal("basic", schemes.GetProperty("deviceBasic").GetProperty("scheme").GetString());
        foreach (var path in anonymous.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var where = $"{operation.Name} {path.Name}";
                var responses = operation.Value.GetProperty("responses");
                foreach (var response in responses.EnumerateObject()
                    .Where(r => r.Name == "default" || r.Name[0] is '4' or '5'))
                    Assert.True(response.Value.GetProperty("content").TryGetProperty("application/problem+json", out _),
                        $"{where} {response.Name} is not problem+json");
                if (path.Name == "/healthz") continue;
                // The dashboard's page and assets hold no data: served to anyone, like /healthz, but documented.
                if (path.Name == "/" || path.Name.StartsWith("/dashboard/", StringComparison.Ordinal))
                {
                    Assert.False(operation.Value.TryGetProperty("security", out _), $"{where} asks for a key");
                    continue;
                }
                Assert.True(responses.TryGetProperty("default", out _), $"{where} declares no default problem");
                var security = operation.Value.GetProperty("security").EnumerateArray()
                    .SelectMany(s => s.EnumerateObject().Select(p => p.Name)).ToList();
                Assert.Equal(path.Name.StartsWith("/api/", StringComparison.Ordinal) ? "operatorKey" : "deviceBasic",
                    Assert.Single(security));
                Assert.True(responses.TryGetProperty("401", out _), $"{where} declares no 401");
            }
        }
    }

    // {id:int} and {**rest} in a route pattern read as {id} and {rest} in the document.
    [GeneratedRegex(@"(:[^}]*)?\}")]
    private static partial Regex Constraint();
}
