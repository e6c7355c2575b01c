using System.Net.Http.Headers;
using System.Text;
using FleetOrchestrator.Firmware.Manifests;
using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.Mqtt.Security;
using FleetOrchestrator.Server.Api;
using FleetOrchestrator.Server.Artifacts;
using FleetOrchestrator.Server.Downloads;
using FleetOrchestrator.Server.Hosting;
using FleetOrchestrator.Simulation.Links.InProcessHttp;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FleetOrchestrator.Simulation.Tests.Support;

/// <summary>
/// The real FleetOrchestrator.Server on Kestrel at 127.0.0.1:0 with two provisioned devices and, unless told
/// otherwise, the simulator's in-process HTTP link registered as <c>fleet simulate</c> registers it.
/// </summary>
internal sealed class InProcessHttpServer : IAsyncDisposable
{
    public const string DeviceId = "dev-0001";
    public const string DeviceSecret = "s3cret-0001";
    public const string OtherDeviceId = "dev-0002";
    public const string OtherDeviceSecret = "s3cret-0002";

    private InProcessHttpServer(WebApplication app, string dataDirectory)
    {
        App = app;
        DataDirectory = dataDirectory;
        BaseAddress = app.BoundAddresses()[0];
        Client = new HttpClient { BaseAddress = BaseAddress };
    }

    public WebApplication App { get; }
    public string DataDirectory { get; }
    public Uri BaseAddress { get; }

    /// <summary>Over TCP, for comparison.</summary>
    public HttpClient Client { get; }

    public InProcessHttpConnector Connector => App.Services.GetRequiredService<InProcessHttpConnector>();
    public DownloadGrants Grants => App.Services.GetRequiredService<DownloadGrants>();

    public static async Task<InProcessHttpServer> StartAsync(
        bool inProcessLink = true, string urls = "http://127.0.0.1:0", ILoggerProvider? logs = null)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("fleet-inprocess-http-").FullName;
        try
        {
            var options = new FleetServerOptions
            {
                Urls = urls,
                DataDirectory = dataDirectory,
                OperatorApiKeySha256 = OperatorApiKey.Sha256Hex("in-process-tests-operator-key"),
                DownloadGrantSecret = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()),
            };
            var builder = FleetServer.CreateBuilder([], options);
            builder.Logging.ClearProviders();
            builder.Logging.SetMinimumLevel(LogLevel.Information);
            if (logs is not null) builder.Logging.AddProvider(logs);
            var credentials = new HashedCredentialStore(SimulationRig.ServiceUser, "service-secret-for-tests");
            credentials.AddDevice(DeviceId, DeviceSecret);
            credentials.AddDevice(OtherDeviceId, OtherDeviceSecret);
            var ports = new EmptyOperatorPorts();
            builder.Services.AddSingleton<IFleetQueries>(ports);
            builder.Services.AddSingleton<IUpdateCommands>(ports);
            builder.Services.AddSingleton<IArtifactReferences>(ports);
            builder.Services.AddSingleton<IDeviceCredentialVerifier>(new CredentialStoreVerifier(credentials));
            if (inProcessLink) builder.Services.AddInProcessHttpLink(options);
            var app = builder.Build();
            app.MapFleetApi();
            await app.StartAsync();
            return new InProcessHttpServer(app, dataDirectory);
        }
        catch
        {
            Directory.Delete(dataDirectory, recursive: true);
            throw;
        }
    }

    /// <summary>Stores <paramref name="image"/> (again: the store answers with the same id); returns its id.</summary>
    public Task<string> UploadValidAsync(byte[] image, string version)
    {
        var outcome = App.Services.GetRequiredService<ArtifactUploader>().Upload(new ArtifactUpload(
            "app.bin", image, SemanticVersion.Parse(version), FirmwareManifest.DefaultHardwareTarget,
            SimulationRig.V100, DowngradeAllowed: false));
        var stored = outcome as UploadOutcome.Stored
            ?? throw new InvalidOperationException($"upload failed: {outcome}");
        return Task.FromResult(stored.Artifact.Id);
    }

    public static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    /// <summary>A device request for <paramref name="url"/> with its Basic credentials.</summary>
    public static HttpRequestMessage AsDevice(HttpMethod method, string url) =>
        new(method, url) { Headers = { Authorization = Basic(DeviceId, DeviceSecret) } };

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        Directory.Delete(DataDirectory, recursive: true);
    }
}
