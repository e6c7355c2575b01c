using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace FleetOrchestrator.Host.Tests.Support;

/// <summary>The operator API calls the tests make, answered as status plus parsed JSON (read as a client would).</summary>
public static class Api
{
    public sealed record Answer(HttpStatusCode Status, JsonElement Body)
    {
        public override string ToString() => $"{(int)Status} {Body}";
    }

    public static async Task<Answer> SendAsync(this HttpClient http, HttpMethod method, string path, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var body = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return new Answer(response.StatusCode, body);
    }

    public static Task<Answer> GetJsonAsync(this HttpClient http, string path) => http.SendAsync(HttpMethod.Get, path);

    public static Task<Answer> PostJsonAsync<T>(this HttpClient http, string path, T body) =>
        http.SendAsync(HttpMethod.Post, path, JsonContent.Create(body));

    public static Task<Answer> RegisterAsync(this HttpClient http, string deviceId) =>
        http.PostJsonAsync("/api/devices", new { deviceId });

    public static Task<Answer> UploadAsync(this HttpClient http, byte[] image, string version, string fileName = "app.bin") =>
        http.SendAsync(HttpMethod.Post, $"/api/artifacts?version={version}&fileName={fileName}", new ByteArrayContent(image));
}
