using System.Text.Json;
using System.Text.Json.Serialization;

namespace FleetOrchestrator.Server.Json;

/// <summary>One JSON dialect for the API and for the artifact store's metadata files: camelCase, enums as camelCase strings, versions as strings.</summary>
public static class FleetJson
{
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = false });

    /// <summary>Adds the fleet converters to options owned by someone else (ASP.NET Core's HTTP JSON options).</summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.Converters.Add(new SemanticVersionJsonConverter());
        return options;
    }
}
