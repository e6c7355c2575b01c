using FleetOrchestrator.Firmware.Manifests;
using FleetOrchestrator.Firmware.Signing;
using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.L072.Images;
using FleetOrchestrator.L072.Memory;
using FleetOrchestrator.Mqtt.Configuration;
using FleetOrchestrator.Mqtt.Embedded;
using FleetOrchestrator.Mqtt.Security;
using FleetOrchestrator.Protocol.Messages;
using FleetOrchestrator.Server.Api;
using FleetOrchestrator.Server.Artifacts;
using FleetOrchestrator.Server.Downloads;
using FleetOrchestrator.Server.Hosting;
using FleetOrchestrator.Simulation.Devices;
using FleetOrchestrator.Simulation.Faults;
using FleetOrchestrator.Simulation.Fleet;
using FleetOrchestrator.Simulation.Links;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FleetOrchestrator.Simulation.Tests.Support;

/// <summary>An image stored on the server: its id, its signed manifest as a command carries it, its CRC.</summary>
internal sealed record PublishedImage(string ArtifactId, SemanticVersion Version, uint Crc, SignedManifestDto Manifest, byte[] Bytes);

/// <summary>
/// The real parts a simulated device talks to: the embedded MQTT broker (port 0) with a credential store, and the
/// real FleetOrchestrator.Server on Kestrel at 127.0.0.1:0 serving granted range downloads. The test plays the
/// orchestrator: it sends commands through the broker's command sender and reads events from <see cref="Traffic"/>.
/// Links are instant and time is not compressed but skipped, so nothing waits for simulated time.
/// </summary>
internal sealed class SimulationRig : IAsyncDisposable
{
    public const string ServiceUser = "fleet-orchestrator";
    public static readonly SemanticVersion V100 = new(1, 0, 0);
    public static readonly SemanticVersion V110 = new(1, 1, 0);

    private readonly List<SimulatedDevice> _devices = [];
    private readonly HttpClient _http = new();

    private SimulationRig(EmbeddedMqttBroker broker, WebApplication server, string dataDirectory, HashedCredentialStore credentials,
        RecordingTraffic traffic, DownloadTap tap)
    {
        Broker = broker;
        Server = server;
        DataDirectory = dataDirectory;
        Credentials = credentials;
        Traffic = traffic;
        Tap = tap;
        SigningKey = server.Services.GetRequiredService<ServerSecrets>().SigningKey;
        TrustedKeys = new Dictionary<string, ManifestVerificationKey>(StringComparer.Ordinal) { [SigningKey.KeyId] = SigningKey.PublicKey };
    }

    public EmbeddedMqttBroker Broker { get; }
    public WebApplication Server { get; }
    public string DataDirectory { get; }
    public HashedCredentialStore Credentials { get; }
    public RecordingTraffic Traffic { get; }
    public DownloadTap Tap { get; }
    public ManifestSigningKey SigningKey { get; }
    public IReadOnlyDictionary<string, ManifestVerificationKey> TrustedKeys { get; }

    public static async Task<SimulationRig> StartAsync()
    {
        var credentials = new HashedCredentialStore(ServiceUser, "service-secret-for-tests");
        var traffic = new RecordingTraffic();
        var broker = new EmbeddedMqttBroker(new EmbeddedBrokerOptions { Port = 0, ServiceUserName = ServiceUser }, credentials, traffic);
        await broker.StartAsync();

        var dataDirectory = Directory.CreateTempSubdirectory("fleet-sim-test-").FullName;
        var builder = FleetServer.CreateBuilder([], new FleetServerOptions
        {
            Urls = "http://127.0.0.1:0",
            DataDirectory = dataDirectory,
            OperatorApiKeySha256 = OperatorApiKey.Sha256Hex("simulation-tests-operator-key"),
            DownloadGrantSecret = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()),
        });
        builder.Logging.ClearProviders();
        var ports = new EmptyOperatorPorts();
        builder.Services.AddSingleton<IFleetQueries>(ports);
        builder.Services.AddSingleton<IUpdateCommands>(ports);
        builder.Services.AddSingleton<IArtifactReferences>(ports);
        builder.Services.AddSingleton<IDeviceCredentialVerifier>(new CredentialStoreVerifier(credentials));
        var app = builder.Build();
        var tap = new DownloadTap();
        app.Use((context, next) => tap.InvokeAsync(context, next));
        app.MapFleetApi();
        await app.StartAsync();
        return new SimulationRig(broker, app, dataDirectory, credentials, traffic, tap);
    }

    /// <summary>The environment devices of this rig share: instant link, no delays, the server's key trusted.</summary>
    public SimulationEnvironment Environment(FaultSettings? faultSettings = null, PagePool? pool = null,
        TimeCompression? time = null, LinkProfile? link = null, DevicePaging? paging = null) => new()
    {
        Paging = paging,
        Link = link ?? LinkProfile.Instant,
        Pool = pool ?? PagePool.Shared,
        Time = time ?? TimeCompression.NoDelays,
        BrokerHost = "127.0.0.1",
        BrokerPort = Broker.Port,
        Http = _http,
        TrustedKeys = TrustedKeys,
        FaultSettings = faultSettings ?? FaultSettings.Default,
    };

    /// <summary>Stores a synthetic image on the server (signed by the server's key) and returns what a download command needs.</summary>
    public PublishedImage Publish(SemanticVersion version, ImageBehaviour behaviour = ImageBehaviour.Boots, int size = 96 * 1024)
    {
        var bytes = SyntheticImage.Create(version, behaviour, size);
        var outcome = Server.Services.GetRequiredService<ArtifactUploader>()
            .Upload(new ArtifactUpload($"app-{version}-{behaviour}.bin", bytes, version, FirmwareManifest.DefaultHardwareTarget, V100, DowngradeAllowed: false));
        var stored = outcome as UploadOutcome.Stored ?? throw new InvalidOperationException($"upload failed: {outcome}");
        return new PublishedImage(stored.Artifact.Id, version, stored.Artifact.Metadata.Crc32, stored.Artifact.ToManifestDto(), bytes);
    }

    /// <summary>A granted download URL for this device and artifact, as the saga would put in the command.</summary>
    public string UrlFor(string deviceId, string artifactId) =>
        Server.Services.GetRequiredService<DownloadUrls>().For(deviceId, artifactId).AbsoluteUri;

    /// <summary>Registers, powers up and connects a device; returns once its first <c>booted</c> arrived.</summary>
    public async Task<SimulatedDevice> StartDeviceAsync(
        string deviceId, DeviceFaults? faults = null, FaultSettings? faultSettings = null,
        TimeCompression? time = null, LinkProfile? link = null, DevicePaging? paging = null)
    {
        var secret = SimulatedFleet.SecretOf(7, deviceId);
        Credentials.AddDevice(deviceId, secret);
        var device = new SimulatedDevice(new SimulatedDeviceOptions(deviceId, secret) { Faults = faults ?? DeviceFaults.None, Seed = 7 },
            Environment(faultSettings, time: time, link: link, paging: paging));
        _devices.Add(device);
        await device.StartAsync();
        await Traffic.WaitFor<DeviceBooted>(deviceId);
        return device;
    }

    public Task SendAsync(string deviceId, DeviceCommand command) => Broker.CommandSender.SendAsync(deviceId, command).AsTask();

    /// <summary>A download command for <paramref name="image"/> with a fresh grant.</summary>
    public StartDownload Download(string deviceId, string commandId, PublishedImage image, int resumeOffset = 0) =>
        new(commandId, image.Manifest, UrlFor(deviceId, image.ArtifactId), resumeOffset);

    public async ValueTask DisposeAsync()
    {
        foreach (var d in _devices) await d.DisposeAsync();
        await Broker.DisposeAsync();
        await Server.StopAsync();
        await Server.DisposeAsync();
        _http.Dispose();
        Directory.Delete(DataDirectory, recursive: true);
    }
}
