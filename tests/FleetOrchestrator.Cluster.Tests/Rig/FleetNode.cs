using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace FleetOrchestrator.Cluster.Tests.Rig;

/// <summary>
/// One `fleet serve` node of the rig: its own data directory, HTTP and remoting ports, the shared seed list, store
/// and broker. <see cref="StartAsync"/> waits for the banner and then for <c>/healthz</c> (healthy once the node is an
/// Up member); <see cref="Kill"/> is <c>kill -9</c>; a restart is another <see cref="StartAsync"/> with the same
/// arguments, as a supervisor would do.
/// </summary>
public sealed class FleetNode(string name, string dataDirectory, IReadOnlyList<string> serveArguments,
    IReadOnlyDictionary<string, string> environment, int httpPort, int clusterPort) : IAsyncDisposable
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(120);
    private FleetProcess? _process;

    public string Name => name;

    public string DataDirectory => dataDirectory;

    public int ClusterPort => clusterPort;

    public Uri BaseUrl { get; } = new($"http://127.0.0.1:{httpPort}/");

    /// <summary>The key the node printed on its first start (null when another node or start issued it).</summary>
    public string? PrintedOperatorKey { get; private set; }

    public bool Running => _process is { HasExited: false };

    public string Tail(int count = 40) => _process?.Tail(count) ?? $"{name}: not started";

    public async Task StartAsync()
    {
        if (Running) throw new InvalidOperationException($"{name} is already running");
        _process = FleetProcess.Start(name, ["serve", .. serveArguments], environment);
        await _process.WaitForLineAsync("the orchestrator is running", StartDeadline);
        var keyLine = await _process.WaitForLineAsync("  operator key ", StartDeadline);
        var key = keyLine.Trim()["operator key".Length..].Trim();
        if (!key.StartsWith("as issued", StringComparison.Ordinal)) PrintedOperatorKey = key;
        await WaitHealthyAsync(StartDeadline);
    }

    /// <summary>Waits until <c>/healthz</c> answers 200: the node is an Up member of its cluster.</summary>
    public async Task WaitHealthyAsync(TimeSpan deadline)
    {
        using var http = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(5) };
        var until = DateTime.UtcNow + deadline;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        string last = "no answer yet";
        while (DateTime.UtcNow < until)
        {
            try
            {
                using var answer = await http.GetAsync("healthz");
                if (answer.IsSuccessStatusCode) return;
                last = $"{(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync()}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                last = e.Message;
            }
            await timer.WaitForNextTickAsync();
        }
        throw new TimeoutException($"{name} was not healthy within {deadline.TotalSeconds:0} s: {last}\n{Tail()}");
    }

    /// <summary><c>kill -9</c>: no leaving, no flushing, as when the machine dies.</summary>
    public void Kill() => _process?.KillHard();

    public HttpClient Client(string apiKey)
    {
        var http = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return http;
    }

    /// <summary><c>GET /api/cluster</c> as this node sees it.</summary>
    public async Task<ClusterView> ClusterAsync(string apiKey)
    {
        using var http = Client(apiKey);
        var json = await http.GetFromJsonAsync<JsonElement>("api/cluster");
        return ClusterView.From(json);
    }

    /// <summary><c>POST /api/keys</c>: a new key with <paramref name="role"/>; returns its secret.</summary>
    public async Task<string> MintKeyAsync(string adminKey, string keyName, string role)
    {
        using var http = Client(adminKey);
        using var answer = await http.PostAsJsonAsync("api/keys", new { name = keyName, role });
        var body = await answer.Content.ReadAsStringAsync();
        if (!answer.IsSuccessStatusCode)
            throw new InvalidOperationException($"{name}: POST /api/keys answered {(int)answer.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("key").GetString()!;
    }

    public string RemotingAddress =>
        string.Create(CultureInfo.InvariantCulture, $"akka.tcp://fleet@127.0.0.1:{clusterPort}");

    public async ValueTask DisposeAsync()
    {
        if (_process is not null) await _process.DisposeAsync();
    }
}
