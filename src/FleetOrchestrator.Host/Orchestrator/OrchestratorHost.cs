using Akka.Actor;
using Akka.Cluster;
using FleetOrchestrator.Host.Adapters;
using FleetOrchestrator.Host.Provisioning;
using FleetOrchestrator.Mqtt.Configuration;
using FleetOrchestrator.Mqtt.Embedded;
using FleetOrchestrator.Mqtt.InProcess;
using FleetOrchestrator.Mqtt.External;
using FleetOrchestrator.Mqtt.Security;
using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.Hosting;
using FleetOrchestrator.Orchestration.ReadModel;
using FleetOrchestrator.Orchestration.Sharding;
using FleetOrchestrator.Protocol.Ports;
using FleetOrchestrator.Server.Api;
using FleetOrchestrator.Server.Downloads;
using FleetOrchestrator.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FleetOrchestrator.Host.Orchestrator;

/// <summary>
/// One orchestrator process: the actor system (device sagas under Cluster.Sharding, persisted to SQLite or
/// PostgreSQL), the MQTT transport (embedded broker or an external one), and the HTTP side (artifacts, device
/// downloads, operator API). `fleet serve` runs one; `fleet simulate` runs one beside a simulated fleet.
/// </summary>
public sealed class OrchestratorHost : IAsyncDisposable
{
    private readonly OrchestratorOptions _options;
    private readonly ILoggerFactory _logs;
    private readonly DeferredCommandSender _commands = new();
    private readonly SwitchableTrafficHandler _traffic = new();
    private EmbeddedMqttBroker? _embedded;
    private ExternalBrokerTransport? _external;
    private WebApplication? _web;
    private ActorSystem? _system;
    private IActorRef? _region;
    private IActorRef? _fleetView;

    public OrchestratorHost(OrchestratorOptions options, ILoggerFactory logs)
    {
        _options = options;
        _logs = logs;
        Credentials = new HashedCredentialStore(options.Mqtt.Embedded.ServiceUserName, options.ServiceSecret);
        Devices = new DeviceRegistry(new DeviceCredentialFile(options.ResolveDeviceCredentialsPath()), Credentials, TimeProvider.System,
            options.MosquittoPasswordFile is { } passwd ? Path.GetFullPath(passwd) : null);
    }

    /// <summary>Provisioned devices: the credential file, loaded into <see cref="Credentials"/> at start.</summary>
    public DeviceRegistry Devices { get; }

    /// <summary>How many provisioned devices the credential file held at start.</summary>
    public int ProvisionedAtStart { get; private set; }

    /// <summary>Device credentials the embedded broker and the download endpoint both check.</summary>
    public HashedCredentialStore Credentials { get; }

    public ActorSystem System => _system ?? throw NotStarted();

    /// <summary>The device shard region of the current actor system (a new one after <see cref="RestartActorSystemAsync"/>).</summary>
    public IActorRef DeviceRegion => _region ?? throw NotStarted();

    /// <summary>The fleet read model of the current actor system.</summary>
    public IActorRef FleetView => _fleetView ?? throw NotStarted();

    public WebApplication Web => _web ?? throw NotStarted();

    /// <summary>Where devices reach the broker.</summary>
    public (string Host, int Port) BrokerEndpoint => _options.Mqtt.Mode == MqttTransportMode.Embedded
        ? (_options.Mqtt.Embedded.BindAddress, (_embedded ?? throw NotStarted()).Port)
        : (_options.Mqtt.External.Host, _options.Mqtt.External.Port);

    /// <summary>The HTTP base address Kestrel bound.</summary>
    public Uri HttpAddress => Web.BoundAddresses()[0];

    /// <summary>
    /// The embedded broker's in-process link, for clients living in this process (the simulated fleet); null with an
    /// external broker.
    /// </summary>
    public InProcessMqttConnector? InProcessMqtt => _options.Mqtt.Mode == MqttTransportMode.Embedded
        ? (_embedded ?? throw NotStarted()).InProcessClients
        : null;

    /// <summary>Device traffic that arrived while no actor system was running (during a restart).</summary>
    public long TrafficDroppedWhileDown => _traffic.DroppedWhileDown;

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        // Before the broker listens: a provisioned device that connects first thing must already be known.
        ProvisionedAtStart = Devices.Load();
        await StartActorSystemAsync(cancellationToken).ConfigureAwait(false);
        await StartTransportAsync(cancellationToken).ConfigureAwait(false);
        await StartWebAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Kills the actor system and starts a new one on the same journal, as a crash and restart of the orchestrator
    /// would: remembered sagas restart on their own and re-arm their persisted deadlines. The broker and the HTTP
    /// side stay up, as they would in a deployment where the broker is external.
    /// </summary>
    public async Task RestartActorSystemAsync(CancellationToken cancellationToken = default)
    {
        _traffic.Switch(null);
        var old = _system;
        _region = null;
        _system = null;
        if (old is not null) await old.Terminate().WaitAsync(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        await StartActorSystemAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task StartActorSystemAsync(CancellationToken cancellationToken)
    {
        var persistence = _options.Persistence;
        var config = Akka.Configuration.ConfigurationFactory.ParseString($"akka.loglevel = {_options.AkkaLogLevel}\nakka.stdout-loglevel = {_options.AkkaLogLevel}")
            .WithFallback(FleetHocon.Compose(persistence, cluster: true));
        var system = ActorSystem.Create(_options.ActorSystemName, FleetHocon.Setup(config, persistence));
        var cluster = Cluster.Get(system);
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        cluster.Join(cluster.SelfAddress);
        await up.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);

        var settings = new DeviceActorSettings(_commands);
        var region = await DeviceSharding.StartAsync(system, settings).ConfigureAwait(false);
        _system = system;
        _region = region;
        _fleetView = system.ActorOf(Orchestration.ReadModel.FleetView.PropsFor(new FleetViewOptions()), "fleet-view");
        _traffic.Switch(new ShardedDeviceTrafficHandler(region, system.EventStream));
    }

    private async Task StartTransportAsync(CancellationToken cancellationToken)
    {
        var logger = _logs.CreateLogger("FleetOrchestrator.Mqtt");
        if (_options.Mqtt.Mode == MqttTransportMode.Embedded)
        {
            _embedded = new EmbeddedMqttBroker(_options.Mqtt.Embedded, Credentials, _traffic, logger);
            try
            {
                await _embedded.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new InvalidOperationException(
                    $"the embedded MQTT broker could not listen on {_options.Mqtt.Embedded.BindAddress}:{_options.Mqtt.Embedded.Port}: {e.Message}", e);
            }
            _commands.Attach(_embedded.CommandSender);
        }
        else
        {
            _external = new ExternalBrokerTransport(_options.Mqtt.External, _traffic, logger);
            await _external.StartAsync(cancellationToken).ConfigureAwait(false);
            _commands.Attach(_external);
        }
    }

    private async Task StartWebAsync(CancellationToken cancellationToken)
    {
        var builder = OrchestratorWebBuilder.Create();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(_logs);
        builder.AddFleetServer(_options.Server);
        builder.Services.AddSingleton<IDeviceCredentialVerifier>(new CredentialStoreVerifier(Credentials));
        builder.Services.AddSingleton<IUpdateCommands>(sp => new ShardedUpdateCommands(
            () => DeviceRegion, sp.GetRequiredService<DownloadUrls>(), _options.UpdatePolicy));
        builder.Services.AddSingleton<IFleetQueries>(_ => new ActorFleetQueries(() => DeviceRegion, () => FleetView));
        builder.Services.AddSingleton<IArtifactReferences>(new FleetViewArtifactReferences(() => FleetView));
        builder.Services.AddSingleton<IDeviceProvisioning>(new RegistryProvisioning(Devices, () => (_options.PublicMqttHost ?? BrokerEndpoint.Host, BrokerEndpoint.Port),
            // An external broker applies a revocation when it reloads its password file (Mosquitto: SIGHUP).
            deviceId => _embedded is { } broker ? broker.DisconnectClientAsync(deviceId) : Task.CompletedTask));
        var web = builder.Build();
        web.MapFleetApi();
        web.MapDeviceProvisioningApi();
        await web.StartAsync(cancellationToken).ConfigureAwait(false);
        _web = web;
    }

    public async ValueTask DisposeAsync()
    {
        _traffic.Switch(null);
        if (_web is not null) await _web.DisposeAsync().ConfigureAwait(false);
        if (_embedded is not null) await _embedded.DisposeAsync().ConfigureAwait(false);
        if (_external is not null) await _external.DisposeAsync().ConfigureAwait(false);
        if (_system is not null) await _system.Terminate().ConfigureAwait(false);
    }

    private static InvalidOperationException NotStarted() => new("the orchestrator is not started");
}
