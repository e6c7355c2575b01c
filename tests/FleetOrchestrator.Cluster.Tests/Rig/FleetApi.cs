using System.Net.Http.Json;
using System.Text.Json;

namespace FleetOrchestrator.Cluster.Tests.Rig;

/// <summary>The few operator API calls the cluster tests make, against whichever node is given.</summary>
public static class FleetApi
{
    public static async Task<JsonElement> GetAsync(FleetNode node, string apiKey, string path)
    {
        using var http = node.Client(apiKey);
        using var answer = await http.GetAsync(path);
        var body = await answer.Content.ReadAsStringAsync();
        if (!answer.IsSuccessStatusCode)
            throw new InvalidOperationException($"{node.Name}: GET {path} answered {(int)answer.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public static async Task<JsonElement> PostAsync(FleetNode node, string apiKey, string path, HttpContent content)
    {
        using var http = node.Client(apiKey);
        using var answer = await http.PostAsync(path, content);
        var body = await answer.Content.ReadAsStringAsync();
        if (!answer.IsSuccessStatusCode)
            throw new InvalidOperationException($"{node.Name}: POST {path} answered {(int)answer.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public static Task<JsonElement> PostJsonAsync(FleetNode node, string apiKey, string path, object body) =>
        PostAsync(node, apiKey, path, JsonContent.Create(body));

    /// <summary>Every row of a paged list (<c>devices</c> of <c>/api/devices</c> or a rollout's devices).</summary>
    public static async Task<List<JsonElement>> AllPagesAsync(FleetNode node, string apiKey, string path)
    {
        const int limit = 1000;
        var rows = new List<JsonElement>();
        var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        while (true)
        {
            var page = await GetAsync(node, apiKey, $"{path}{separator}offset={rows.Count}&limit={limit}");
            var items = page.GetProperty("devices").EnumerateArray().ToList();
            rows.AddRange(items);
            if (items.Count == 0 || rows.Count >= page.GetProperty("total").GetInt32()) return rows;
        }
    }
}
