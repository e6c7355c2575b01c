using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FleetOrchestrator.Server.Tests.Support;

namespace FleetOrchestrator.Server.Tests.Access;

/// <summary>Creating keys through the API as the bootstrap admin, and calling it with them.</summary>
internal static class Keys
{
    /// <summary>Creates a key and returns (id, secret key).</summary>
    public static async Task<(string Id, string Key)> CreateAsync(ServerHost host, string name, string role)
    {
        using var response = await host.Client.SendAsync(ServerHost.AsOperator(HttpMethod.Post, "/api/keys",
            JsonContent.Create(new { name, role })));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("id").GetString()!, body.GetProperty("key").GetString()!);
    }

    public static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(ServerHost host, string key,
        HttpMethod method, string path, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path)
        {
            Content = content, Headers = { Authorization = ServerHost.Operator(key) },
        };
        using var response = await host.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }
}
