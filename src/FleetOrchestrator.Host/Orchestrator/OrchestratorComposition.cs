using Akka.Actor;
using Akka.Hosting;
using FleetOrchestrator.Host.Access;
using FleetOrchestrator.Host.Adapters;
using FleetOrchestrator.Host.Dashboard;
using FleetOrchestrator.Host.Provisioning;
using FleetOrchestrator.Host.SharedState;
using FleetOrchestrator.Host.Telemetry;
using FleetOrchestrator.Host.Tls;
using FleetOrchestrator.Mqtt.Security;
using FleetOrchestrator.Orchestration.Hosting;
using FleetOrchestrator.Orchestration.ReadModel.Storage;
using FleetOrchestrator.Orchestration.Rollouts.Sharding;
using FleetOrchestrator.Orchestration.Sharding;
using FleetOrchestrator.Protocol.Ports;
using FleetOrchestrator.Server.Access;
using FleetOrchestrator.Server.Api;
using FleetOrchestrator.Server.Api.Cluster;
using FleetOrchestrator.Server.Api.Rollouts;
using FleetOrchestrator.Server.Artifacts;
using FleetOrchestrator.Server.Dashboard;
using FleetOrchestrator.Server.Downloads;
using FleetOrchestrator.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FleetOrchestrator.Host.Orchestrator;

/// <summary>
/// The one composition of an orchestrator process, shared by <c>fleet serve</c>, <c>fleet simulate</c> and the tests:
/// the Generic Host (ASP.NET Core's builder) with Akka.Hosting. The actor system (cluster, persistence, the device
/// and rollout shard regions, the read model's projectors (devices, the rollout list), the rollouts' feed router),
/// the MQTT transport and the HTTP side (operator API, provisioning,
/// artifacts, device downloads) are hosted services with one lifetime: they start in that order and stop together.
/// </summary>
public static class OrchestratorComposition
{
    /// <summary>
    /// Builds (does not start) the orchestrator. <paramref name="configure"/> adds or replaces services before the
    /// build: a client in the same process (the simulator) registers its own pieces there, never in the product.
    /// </summary>
    public static WebApplication Build(OrchestratorOptions options, ILoggerFactory logs,
        Action<IServiceCollection>? configure = null)
    {
        var builder = OrchestratorWebBuilder.Create();
        builder.Logging.ClearProviders();
        var services = builder.Services;
        services.AddSingleton(logs);
        services.AddSingleton(options);
        if (!options.HandleTerminationSignals) services.AddSingleton<IHostLifetime, SignalFreeHostLifetime>();
        // Credentials, artifacts and keys in the database (SQLite too: one code path), so every node serves the same;
        // the data directory's older files are imported at start (docs/serve.md, "What the store holds").
        var deviceCredentials = new DatabaseDeviceCredentials(options.Persistence);
        var credentials = new HashedCredentialStore(options.Mqtt.Embedded.ServiceUserName, options.ServiceSecret,
            deviceCredentials);
        services.AddSingleton(credentials);
        services.AddSingleton(new DeviceRegistry(
            new DeviceCredentialFile(options.ResolveDeviceCredentialsPath()), deviceCredentials, credentials,
            TimeProvider.System, options.MosquittoPasswordFile is { } passwd ? Path.GetFullPath(passwd) : null));
        services.AddSingleton<ISharedServerSecrets>(new DatabaseServerSecrets(options.Persistence));
        services.AddSingleton<IArtifactRepository>(new DatabaseArtifactRepository(options.Persistence,
            TimeProvider.System, options.ArtifactRecheckAfter));
        services.AddSingleton(new FleetReadStore(options.Persistence));
        // API keys and the audit trail in the same database, so every node sees the same ones.
        services.AddSingleton<IApiKeyStore>(new DatabaseApiKeyStore(options.Persistence));
        services.AddSingleton<IAuditLog>(new DatabaseAuditLog(options.Persistence));
        services.AddSingleton<DeferredCommandSender>();
        // Every download command gets a fresh grant from the HTTP side (resolved by AddDeviceSagas from DI).
        services.AddSingleton<IDownloadUrlGranter>(sp =>
            new ServerDownloadUrlGranter(() => sp.GetService<DownloadUrls>()));

        services.AddAkka(options.ActorSystemName, (akka, sp) => akka
            .AddHocon($"akka.loglevel = {options.AkkaLogLevel}\nakka.stdout-loglevel = {options.AkkaLogLevel}"
                      + (options.HandleTerminationSignals
                          ? "" : "\nakka.coordinated-shutdown.run-by-clr-shutdown-hook = off"),
                HoconAddMode.Prepend)
            .AddFleetCluster(options.Cluster, options.ActorSystemName)
            .AddFleetPersistence(options.Persistence)
            .AddDeviceSagas(new DeviceSagaOptions
            {
                CommandSender = (_, _) => sp.GetRequiredService<DeferredCommandSender>(),
                ShardRole = options.Cluster.ShardRole,
            })
            .AddFleetReadModel()
            .AddRollouts(new RolloutOptions { ShardRole = options.Cluster.ShardRole })
            .AddRolloutFeedRouter()
            .AddRolloutList());
        // After AddAkka: hosted services start in registration order, and the transport needs the shard region.
        services.AddSingleton<MqttTransportService>();
        services.AddHostedService(sp => sp.GetRequiredService<MqttTransportService>());

        builder.AddFleetServer(options.Server);
        builder.AddFleetTls(options);
        services.AddSingleton<IDeviceCredentialVerifier>(new CredentialStoreVerifier(credentials));
        services.AddSingleton<IUpdateCommands>(sp => new ShardedUpdateCommands(
            () => sp.GetRequiredService<ActorRegistry>().Get<DeviceRegion>(), sp.GetRequiredService<DownloadUrls>(),
            options.UpdatePolicy, credentials.ContainsDevice,
            () => sp.GetRequiredService<ActorRegistry>().Get<RolloutRegion>()));
        services.AddSingleton<IFleetQueries>(sp => new ActorFleetQueries(
            () => sp.GetRequiredService<ActorRegistry>().Get<DeviceRegion>(), sp.GetRequiredService<FleetReadStore>()));
        services.AddSingleton<IRollouts>(sp => new ActorRollouts(
            () => sp.GetRequiredService<ActorRegistry>().Get<RolloutRegion>(), sp.GetRequiredService<FleetReadStore>(),
            () => sp.GetRequiredService<DownloadUrls>().BaseUrl, options.UpdatePolicy,
            devices: sp.GetRequiredService<IFleetQueries>()));
        services.AddSingleton<IArtifactReferences>(sp =>
            new FleetViewArtifactReferences(sp.GetRequiredService<FleetReadStore>()));
        services.AddSingleton<IDeviceProvisioning>(sp =>
        {
            var transport = sp.GetRequiredService<MqttTransportService>();
            return new RegistryProvisioning(sp.GetRequiredService<DeviceRegistry>(),
                () => (options.PublicMqttHost ?? transport.Endpoint.Host,
                    options.PublicMqttPort ?? transport.Endpoint.Port,
                    options.PublicMqttTls ?? transport.EndpointUsesTls),
                // An external broker applies a revocation when it reloads its password file (Mosquitto: SIGHUP).
                transport.DisconnectAsync, credentials.ContainsDevice, sp.GetRequiredService<FleetReadStore>());
        });
        services.AddSingleton<IClusterStatus>(sp => new AkkaClusterStatus(sp.GetRequiredService<ActorSystem>(),
            () => sp.GetRequiredService<ActorRegistry>().Get<DeviceRegion>(),
            () => sp.GetRequiredService<ActorRegistry>().Get<RolloutRegion>(), options.Cluster.ShardRole));
        services.AddHealthChecks().AddCheck<ClusterMemberHealthCheck>("cluster-member");
        BrokerAccountsComposition.AddBrokerAccounts(services, options);
        services.AddFleetTelemetry(options.Telemetry);
        // The dashboards' push: one subscription to the feeds (after AddAkka: it needs the actor system running).
        services.AddFleetDashboard();
        services.AddSingleton<IDashboardReads>(sp =>
            new ReadStoreDashboardReads(sp.GetRequiredService<FleetReadStore>()));
        services.AddHostedService<DashboardFeedPump>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<UnseenDeviceSweep>();
        services.AddHostedService(sp => sp.GetRequiredService<UnseenDeviceSweep>());
        services.AddExceptionHandler<AskTimeoutProblems>();
        configure?.Invoke(services);

        var web = builder.Build();
        web.MapFleetApi();
        web.MapDeviceProvisioningApi();
        web.MapFleetTelemetry();
        return web;
    }
}
