using System.Text.Json;
using System.Text.RegularExpressions;

namespace FleetOrchestrator.Host.Tests.Telemetry;

/// <summary>The PromQL queries of a Grafana dashboard file and the metric names they read.</summary>
public static partial class GrafanaDashboard
{
    public static IReadOnlyList<string> Queries(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var queries = new List<string>();
        Collect(document.RootElement, queries);
        return queries;
    }

    /// <summary>
    /// The metric names in a query. The dashboard reads only our metrics (fleet_), ASP.NET Core's (http_server_) and
    /// the runtime's (dotnet_); a query that names none of them is reported by the caller, so none goes unchecked.
    /// </summary>
    public static IReadOnlyList<string> MetricNames(string query) =>
        [.. MetricName().Matches(query).Select(m => m.Value).Distinct()];

    private static void Collect(JsonElement element, List<string> queries)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Name == "expr" && property.Value.ValueKind == JsonValueKind.String)
                        queries.Add(property.Value.GetString()!);
                    else
                        Collect(property.Value, queries);
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray()) Collect(item, queries);
                break;
        }
    }

    [GeneratedRegex(@"\b(fleet|http_server|dotnet)_[a-z0-9_]+\b")]
    private static partial Regex MetricName();
}
