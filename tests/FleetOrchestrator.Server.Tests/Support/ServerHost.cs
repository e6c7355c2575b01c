using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using FleetOrchestrator.Server.Api;
using FleetOrchestrator.Server.Api.Rollouts;
using FleetOrchestrator.Server.Artifacts;
using FleetOrchestrator.Server.Downloads;
using FleetOrchestrator.Server.Hosting;
using FleetOrchestrator.Server.Tests.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FleetOrchestrator.Server.Tests.Support;

/// <summary>
/// The real server on Kestrel at http://127.0.0.1:0, with a throw-away data directory and in-memory fakes of the
/// three ports. Tests talk to it with a plain HttpClient, as devices and operators would.
/// </summary>
internal sealed class ServerHost : IAsyncDisposable
{
    public const string OperatorKey = "test-operator-key-5f2c";
    public const string DeviceId = "dev-0001";
    public const string DeviceSecret = "s3cret-0001";
    public const string OtherDeviceId = "dev-0002";
    public const string OtherDeviceSecret = "s3cret-0002";
    public static readonly DateTimeOffset Epoch = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private readonly bool _ownsDataDirectory;

    private ServerHost(WebApplication app, string dataDirectory, bool ownsDataDirectory)
    {
        App = app;
        DataDirectory = dataDirectory;
        _ownsDataDirectory = ownsDataDirectory;
        BaseAddress = app.BoundAddresses()[0];
        Client = new HttpClient { BaseAddress = BaseAddress };
    }

    public WebApplication App { get; }
    public string DataDirectory { get; }
    public Uri BaseAddress { get; }
    public HttpClient Client { get; }
    public InMemoryFleetQueries Fleet => App.Services.GetRequiredService<InMemoryFleetQueries>();
    public RecordingUpdateCommands Updates => App.Services.GetRequiredService<RecordingUpdateCommands>();
    public RecordingRollouts Rollouts => App.Services.GetRequiredService<RecordingRollouts>();
    public InMemoryArtifactReferences References => App.Services.GetRequiredService<InMemoryArtifactReferences>();
    public InMemoryDeviceCredentials Devices => App.Services.GetRequiredService<InMemoryDeviceCredentials>();
    public ManualTimeProvider Time => (ManualTimeProvider)App.Services.GetRequiredService<TimeProvider>();
    public DownloadGrants Grants => App.Services.GetRequiredService<DownloadGrants>();
    public ArtifactStore Store => App.Services.GetRequiredService<ArtifactStore>();

    /// <summary>
    /// Starts a server. By default the operator key hash and the grant secret are configured; pass
    /// <paramref name="configure"/> to change options (e.g. leave secrets to be generated); <paramref name="time"/>
    /// replaces the hand-moved clock (which has no timers) with one that has, e.g. a FakeTimeProvider;
    /// <paramref name="services"/> adds services (e.g. the dashboard's hub) before the build.
    /// </summary>
    public static async Task<ServerHost> StartAsync(
        Func<FleetServerOptions, FleetServerOptions>? configure = null,
        string? dataDirectory = null,
        ILoggerProvider? logs = null,
        TimeProvider? time = null,
        Action<IServiceCollection>? services = null)
    {
        bool owns = dataDirectory is null;
        dataDirectory ??= Directory.CreateTempSubdirectory("fleet-server-test-").FullName;
        var options = new FleetServerOptions
        {
            Urls = "http://127.0.0.1:0",
            DataDirectory = dataDirectory,
            OperatorApiKeySha256 = OperatorApiKey.Sha256Hex(OperatorKey),
            DownloadGrantSecret = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()),
        };
        options = configure?.Invoke(options) ?? options;

        var builder = FleetServer.CreateBuilder([], options);
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        if (logs is not null) builder.Logging.AddProvider(logs);
        builder.Services.AddSingleton<TimeProvider>(time ?? new ManualTimeProvider(Epoch));
        builder.Services.AddSingleton<InMemoryFleetQueries>();
        builder.Services.AddSingleton<IFleetQueries>(sp => sp.GetRequiredService<InMemoryFleetQueries>());
        builder.Services.AddSingleton<RecordingUpdateCommands>();
        builder.Services.AddSingleton<IUpdateCommands>(sp => sp.GetRequiredService<RecordingUpdateCommands>());
        builder.Services.AddSingleton<RecordingRollouts>();
        builder.Services.AddSingleton<IRollouts>(sp => sp.GetRequiredService<RecordingRollouts>());
        builder.Services.AddSingleton<InMemoryArtifactReferences>();
        builder.Services.AddSingleton<IArtifactReferences>(sp => sp.GetRequiredService<InMemoryArtifactReferences>());
        builder.Services.AddSingleton<InMemoryDeviceCredentials>();
        builder.Services.AddSingleton<IDeviceCredentialVerifier>(sp => sp.GetRequiredService<InMemoryDeviceCredentials>());
        services?.Invoke(builder.Services);

        var app = builder.Build();
        app.MapFleetApi();
        await app.StartAsync().ConfigureAwait(false);
        var host = new ServerHost(app, dataDirectory, owns);
        host.Devices.Add(DeviceId, DeviceSecret);
        host.Devices.Add(OtherDeviceId, OtherDeviceSecret);
        return host;
    }

    public static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    public static AuthenticationHeaderValue Operator(string key = OperatorKey) => new("Bearer", key);

    /// <summary>A request with the operator's bearer key.</summary>
    public static HttpRequestMessage AsOperator(HttpMethod method, string path, HttpContent? content = null) =>
        new(method, path) { Content = content, Headers = { Authorization = Operator() } };

    /// <summary>Uploads raw bytes as the operator and returns the response.</summary>
    public Task<HttpResponseMessage> UploadAsync(byte[] content, string fileName, string version = "1.2.0", string extraQuery = "") =>
        Client.SendAsync(AsOperator(HttpMethod.Post, $"/api/artifacts?version={version}&fileName={fileName}{extraQuery}", new ByteArrayContent(content)));

    /// <summary>Stores an image through the API and returns its id.</summary>
    public async Task<string> UploadValidAsync(byte[] image, string version = "1.2.0")
    {
        using var response = await UploadAsync(image, "app.bin", version).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<UploadResponse>(Json.FleetJson.Options).ConfigureAwait(false);
        return body!.Artifact.Id;
    }

    /// <summary>A device GET of <paramref name="url"/> with its Basic credentials.</summary>
    public static HttpRequestMessage AsDevice(HttpMethod method, string url, string deviceId = DeviceId, string secret = DeviceSecret) =>
        new(method, url) { Headers = { Authorization = Basic(deviceId, secret) } };

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync().ConfigureAwait(false);
        await App.DisposeAsync().ConfigureAwait(false);
        if (_ownsDataDirectory) Directory.Delete(DataDirectory, recursive: true);
    }
}
