using Akka.Actor;
using Akka.Hosting;
using FleetOrchestrator.Host.Provisioning;
using FleetOrchestrator.Host.Tls;
using FleetOrchestrator.Mqtt.Configuration;
using FleetOrchestrator.Mqtt.Embedded;
using FleetOrchestrator.Mqtt.External;
using FleetOrchestrator.Mqtt.Security;
using FleetOrchestrator.Orchestration.Sharding;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MQTTnet.Server;

namespace FleetOrchestrator.Host.Orchestrator;

/// <summary>
/// The MQTT side of the orchestrator as a hosted service: it starts after the actor system (registered after
/// <c>AddAkka</c>), loads the provisioned devices, then opens the embedded broker or connects to the external one,
/// handing inbound traffic to the device shard region and attaching the transport to the sagas' command sender.
/// </summary>
internal sealed class MqttTransportService(
    OrchestratorOptions options,
    HashedCredentialStore credentials,
    DeviceRegistry devices,
    DeferredCommandSender commands,
    ActorRegistry registry,
    ActorSystem system,
    ILoggerFactory logs,
    IEnumerable<IMqttServerAdapter> extraListeners,
    ServerTls tls) : IHostedService, IAsyncDisposable
{
    private EmbeddedMqttBroker? _embedded;
    private ExternalBrokerTransport? _external;

    /// <summary>How many provisioned devices the credential file held at start.</summary>
    public int ProvisionedAtStart { get; private set; }

    /// <summary>Where devices reach the broker.</summary>
    public (string Host, int Port) Endpoint => options.Mqtt.Mode == MqttTransportMode.Embedded
        ? (options.Mqtt.Embedded.BindAddress, (_embedded ?? throw NotStarted()).Port)
        : (options.Mqtt.External.Host, options.Mqtt.External.Port);

    /// <summary>
    /// Whether devices are told to use TLS: the embedded broker's TLS port when it has a certificate, an external
    /// broker's when its URL is <c>mqtts://</c>.
    /// </summary>
    public bool EndpointUsesTls => options.Mqtt.Mode == MqttTransportMode.Embedded
        ? (_embedded ?? throw NotStarted()).TlsPort is not null
        : options.Mqtt.External.UseTls;

    /// <summary>The embedded broker's plain port; null with an external broker or when it is off.</summary>
    public int? PlainPort => _embedded?.PlainPort;

    /// <summary>Drops a device's live connection (after its credentials were revoked); external brokers reload their own.</summary>
    public Task DisconnectAsync(string deviceId) =>
        _embedded is { } broker ? broker.DisconnectClientAsync(deviceId) : Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Before the broker listens: a provisioned device that connects first thing must already be known.
        ProvisionedAtStart = devices.Load();
        var region = await registry.GetAsync<DeviceRegion>(cancellationToken).ConfigureAwait(false);
        var traffic = new ShardedDeviceTrafficHandler(region, system.EventStream);
        var logger = logs.CreateLogger("FleetOrchestrator.Mqtt");
        if (options.Mqtt.Mode == MqttTransportMode.Embedded)
        {
            // Listeners a same-process client registered (through the composition's configure hook) are served too.
            var embeddedOptions = tls.Certificate is { } certificate
                ? options.Mqtt.Embedded with { ServerCertificate = certificate.Certificate }
                : options.Mqtt.Embedded;
            _embedded = new EmbeddedMqttBroker(
                embeddedOptions, credentials, traffic, logger, extraListeners: extraListeners);
            try
            {
                await _embedded.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                var embedded = embeddedOptions;
                var ports = string.Join(" and ", new[]
                {
                    embedded.PlainListener ? $"{embedded.Port}" : null,
                    embedded.ServerCertificate is null ? null : $"{embedded.TlsPort} (TLS)",
                }.OfType<string>());
                throw new InvalidOperationException(
                    $"the embedded MQTT broker could not listen on {embedded.BindAddress}:{ports}: {e.Message}", e);
            }
            commands.Attach(_embedded.CommandSender);
        }
        else
        {
            _external = new ExternalBrokerTransport(options.Mqtt.External, traffic, logger);
            await _external.StartAsync(cancellationToken).ConfigureAwait(false);
            commands.Attach(_external);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync().ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
        if (_embedded is { } embedded)
        {
            _embedded = null;
            await embedded.DisposeAsync().ConfigureAwait(false);
        }
        if (_external is { } external)
        {
            _external = null;
            await external.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static InvalidOperationException NotStarted() => new("the MQTT transport is not started");
}
