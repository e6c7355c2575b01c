using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace FleetOrchestrator.Cli.Client;

/// <summary>
/// The operator API as the `fleet` client verbs call it: one method per endpoint, each answering the API's JSON as
/// it came (what --json prints) or throwing <see cref="FleetApiException"/> for an HTTP error and
/// <see cref="ServerUnreachableException"/> when no answer came. Endpoints and bodies: docs/serve.md, docs/rollouts.md.
/// </summary>
internal sealed class FleetApiClient : IDisposable
{
    private readonly HttpClient _http;

    public FleetApiClient(ServerConnection connection, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        Connection = connection;
        _http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: true);
        _http.BaseAddress = connection.Server;
        _http.Timeout = TimeSpan.FromSeconds(100);
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", connection.ApiKey);
    }

    public ServerConnection Connection { get; }

    public Task<JsonElement> MeAsync(CancellationToken ct) => SendAsync(HttpMethod.Get, "api/me", null, ct);

    public Task<JsonElement> ListArtifactsAsync(CancellationToken ct) =>
        SendAsync(HttpMethod.Get, "api/artifacts", null, ct);

    public Task<JsonElement> GetArtifactAsync(string id, CancellationToken ct) =>
        SendAsync(HttpMethod.Get, $"api/artifacts/{Escape(id)}", null, ct);

    /// <summary>Streams the file as the request body, reporting bytes sent to <paramref name="progress"/>.</summary>
    public async Task<JsonElement> UploadArtifactAsync(string path, string version, string? target, bool allowDowngrade,
        IProgress<long>? progress, CancellationToken ct)
    {
        var query = new List<string> { $"version={Escape(version)}", $"fileName={Escape(Path.GetFileName(path))}" };
        if (target is not null) query.Add($"target={Escape(target)}");
        if (allowDowngrade) query.Add("allowDowngrade=true");
        await using var file = File.OpenRead(path);
        using var content = new ProgressStreamContent(file, progress);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return await SendAsync(HttpMethod.Post, "api/artifacts?" + string.Join('&', query), content, ct)
            .ConfigureAwait(false);
    }

    public Task<JsonElement> ListDevicesAsync(IReadOnlyDictionary<string, string?> filters, CancellationToken ct) =>
        SendAsync(HttpMethod.Get, "api/devices" + Query(filters), null, ct);

    public Task<JsonElement> GetDeviceAsync(string id, CancellationToken ct) =>
        SendAsync(HttpMethod.Get, $"api/devices/{Escape(id)}", null, ct);

    public Task<JsonElement> RegisterDeviceAsync(string id, IReadOnlyDictionary<string, string>? tags,
        CancellationToken ct) =>
        SendAsync(HttpMethod.Post, "api/devices", JsonContent.Create(new { deviceId = id, tags }), ct);

    public Task<JsonElement> RevokeDeviceAsync(string id, CancellationToken ct) =>
        SendAsync(HttpMethod.Delete, $"api/devices/{Escape(id)}/credentials", null, ct);

    public Task<JsonElement> StartUpdateAsync(string artifactId, IReadOnlyList<string> deviceIds,
        CancellationToken ct) =>
        SendAsync(HttpMethod.Post, "api/updates", JsonContent.Create(new { artifactId, deviceIds }), ct);

    /// <summary>POST /api/rollouts with the request as given; <paramref name="dryRun"/> only plans.</summary>
    public Task<JsonElement> SubmitRolloutAsync(JsonElement request, bool dryRun, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, dryRun ? "api/rollouts?dryRun=true" : "api/rollouts",
            JsonContent.Create(request), ct);

    public Task<JsonElement> ListRolloutsAsync(CancellationToken ct) =>
        SendAsync(HttpMethod.Get, "api/rollouts", null, ct);

    public Task<JsonElement> GetRolloutAsync(string id, CancellationToken ct) =>
        SendAsync(HttpMethod.Get, $"api/rollouts/{Escape(id)}", null, ct);

    public Task<JsonElement> RolloutActionAsync(string id, string action, string? reason, int? wave,
        CancellationToken ct) =>
        SendAsync(HttpMethod.Post, $"api/rollouts/{Escape(id)}/{Escape(action)}",
            JsonContent.Create(new { reason, wave }), ct);

    public Task<JsonElement> ListRolloutDevicesAsync(string id, int offset, int limit, CancellationToken ct) =>
        SendAsync(HttpMethod.Get, $"api/rollouts/{Escape(id)}/devices?offset={offset}&limit={limit}", null, ct);

    public Task<JsonElement> WhyAsync(string id, string deviceId, CancellationToken ct) =>
        SendAsync(HttpMethod.Get, $"api/rollouts/{Escape(id)}/devices/{Escape(deviceId)}/why", null, ct);

    public Task<JsonElement> CreateKeyAsync(string name, string role, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, "api/keys", JsonContent.Create(new { name, role }), ct);

    public Task<JsonElement> ListKeysAsync(CancellationToken ct) => SendAsync(HttpMethod.Get, "api/keys", null, ct);

    public Task<JsonElement> RevokeKeyAsync(string id, CancellationToken ct) =>
        SendAsync(HttpMethod.Delete, $"api/keys/{Escape(id)}", null, ct);

    public Task<JsonElement> AuditAsync(IReadOnlyDictionary<string, string?> filters, CancellationToken ct) =>
        SendAsync(HttpMethod.Get, "api/audit" + Query(filters), null, ct);

    public Task<JsonElement> ClusterAsync(CancellationToken ct) => SendAsync(HttpMethod.Get, "api/cluster", null, ct);

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, HttpContent? content,
        CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, ct).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (e.InnerException is System.Security.Authentication.AuthenticationException)
        {
            throw new ServerUnreachableException($"cannot reach {Connection.Server}: its TLS certificate is not "
                + "trusted here (give --ca FILE or --server-sha256 FINGERPRINT from fleet serve's banner)", e);
        }
        catch (HttpRequestException e)
        {
            throw new ServerUnreachableException($"cannot reach {Connection.Server}: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new ServerUnreachableException(
                $"no answer from {Connection.Server} within {_http.Timeout.TotalSeconds:0} s", e);
        }
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
                throw FleetApiException.From(response.StatusCode, response.ReasonPhrase, body);
            if (response.StatusCode == HttpStatusCode.NoContent || body.Length == 0) return default;
            try
            {
                using var document = JsonDocument.Parse(body);
                return document.RootElement.Clone();
            }
            catch (JsonException e)
            {
                throw new FleetApiException(response.StatusCode, "Not JSON",
                    $"{method} {path} answered something that is not JSON ({e.Message})", []);
            }
        }
    }

    private static string Escape(string value) => Uri.EscapeDataString(value);

    private static string Query(IReadOnlyDictionary<string, string?> filters)
    {
        var pairs = filters.Where(f => !string.IsNullOrEmpty(f.Value))
            .Select(f => $"{f.Key}={Escape(f.Value!)}").ToList();
        return pairs.Count == 0 ? "" : "?" + string.Join('&', pairs);
    }

    public void Dispose() => _http.Dispose();
}
