using Akka.Actor;
using Akka.Hosting;
using FleetOrchestrator.Host.Provisioning;
using FleetOrchestrator.Mqtt.Security;
using FleetOrchestrator.Orchestration.ReadModel;
using FleetOrchestrator.Orchestration.ReadModel.Storage;
using FleetOrchestrator.Orchestration.Sharding;
using FleetOrchestrator.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FleetOrchestrator.Host.Orchestrator;

/// <summary>
/// One orchestrator process built by <see cref="OrchestratorComposition"/>: the actor system (device sagas under
/// Cluster.Sharding, persisted to SQLite or PostgreSQL, the read model), the MQTT transport (embedded broker or an
/// external one) and the HTTP side, with one lifetime. `fleet serve` runs one; `fleet simulate` runs one beside a
/// simulated fleet. The accessors below are views into its services, valid once started.
/// </summary>
public sealed class OrchestratorHost : IAsyncDisposable
{
    private readonly WebApplication _web;
    private bool _started;
    private bool _startAttempted;

    public OrchestratorHost(OrchestratorOptions options, ILoggerFactory logs,
        Action<IServiceCollection>? configure = null)
    {
        _web = OrchestratorComposition.Build(options, logs, configure);
    }

    public IServiceProvider Services => _web.Services;

    /// <summary>Provisioned devices: the credential file, loaded into <see cref="Credentials"/> at start.</summary>
    public DeviceRegistry Devices => Services.GetRequiredService<DeviceRegistry>();

    /// <summary>How many provisioned devices the credential file held at start.</summary>
    public int ProvisionedAtStart => Transport.ProvisionedAtStart;

    /// <summary>Device credentials the embedded broker and the download endpoint both check.</summary>
    public HashedCredentialStore Credentials => Services.GetRequiredService<HashedCredentialStore>();

    public ActorSystem System => Started(Services.GetRequiredService<ActorSystem>());

    public IActorRef DeviceRegion => Started(Services.GetRequiredService<ActorRegistry>()).Get<DeviceRegion>();

    /// <summary>The read model's projector (answers queries too; <see cref="Fleet"/> answers them directly).</summary>
    public IActorRef FleetView => Started(Services.GetRequiredService<ActorRegistry>()).Get<FleetView>();

    /// <summary>The fleet read model's rows in the database.</summary>
    public FleetReadStore Fleet => Services.GetRequiredService<FleetReadStore>();

    public WebApplication Web => Started(_web);

    /// <summary>Where devices reach the broker.</summary>
    public (string Host, int Port) BrokerEndpoint => Transport.Endpoint;

    /// <summary>The embedded broker's plain port (beside its TLS port, or alone); null when it has none.</summary>
    public int? BrokerPlainPort => Transport.PlainPort;

    /// <summary>Whether <see cref="BrokerEndpoint"/> speaks MQTT over TLS.</summary>
    public bool BrokerUsesTls => Transport.EndpointUsesTls;

    /// <summary>The certificate of the TLS listeners (HTTPS, MQTT over TLS); null when TLS is off.</summary>
    public Tls.ServerCertificate? TlsCertificate => Services.GetRequiredService<Tls.ServerTls>().Certificate;

    /// <summary>The HTTP base address Kestrel bound.</summary>
    public Uri HttpAddress => Web.BoundAddresses()[0];

    private MqttTransportService Transport => Started(Services.GetRequiredService<MqttTransportService>());

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        _startAttempted = true;
        await _web.StartAsync(cancellationToken).ConfigureAwait(false);
        _started = true;
    }

    public async ValueTask DisposeAsync()
    {
        // Also after a failed start: the hosted services that did start (the actor system, say) are stopped.
        if (_startAttempted)
        {
            _started = _startAttempted = false;
            await _web.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
        await _web.DisposeAsync().ConfigureAwait(false);
    }

    private T Started<T>(T value) =>
        _started ? value : throw new InvalidOperationException("the orchestrator is not started");
}
