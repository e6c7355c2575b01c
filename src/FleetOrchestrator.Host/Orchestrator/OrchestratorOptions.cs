using FleetOrchestrator.Mqtt.Configuration;
using FleetOrchestrator.Orchestration.Devices.Messages;
using FleetOrchestrator.Orchestration.Hosting;
using FleetOrchestrator.Orchestration.Persistence;
using FleetOrchestrator.Server.Hosting;

namespace FleetOrchestrator.Host.Orchestrator;

/// <summary>Everything one orchestrator process needs: its database, its MQTT transport, its HTTP side, its saga rules.</summary>
public sealed record OrchestratorOptions
{
    /// <summary>SQLite file by default; PostgreSQL by connection string.</summary>
    public FleetPersistenceOptions Persistence { get; init; } = FleetPersistenceOptions.Sqlite(Path.Combine(".fleet", "fleet.db"));

    /// <summary>Embedded MQTTnet broker by default; an external broker (Mosquitto) by configuration.</summary>
    public MqttTransportOptions Mqtt { get; init; } = new();

    /// <summary>The orchestrator's own secret on the embedded broker (its service identity may touch every device topic).</summary>
    public string ServiceSecret { get; init; } = global::FleetOrchestrator.Mqtt.Security.DeviceSecrets.Generate();

    public FleetServerOptions Server { get; init; } = new();

    /// <summary>Null: plain HTTP and MQTT. Set: https:// URLs and the embedded broker's TLS port use it.</summary>
    public global::FleetOrchestrator.Host.Tls.ServerTlsOptions? Tls { get; init; }

    /// <summary>The rules a saga started through the REST API runs with.</summary>
    public UpdatePolicy UpdatePolicy { get; init; } = UpdatePolicy.Default;

    /// <summary>
    /// How often provisioned devices the orchestrator has never heard from are asked for their state
    /// (<see cref="Provisioning.UnseenDeviceSweep"/>); null or zero: never.
    /// </summary>
    public TimeSpan? UnseenDeviceSweep { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long an artifact this node has read is served without asking the database again: a delete through another
    /// node stops its downloads here within this time (<see cref="SharedState.DatabaseArtifactRepository"/> says why).
    /// </summary>
    public TimeSpan ArtifactRecheckAfter { get; init; } = SharedState.DatabaseArtifactRepository.DefaultRecheckAfter;

    /// <summary>
    /// Whether the orchestrator stops itself on Ctrl+C and SIGTERM (<c>fleet serve</c>). False when it runs inside a
    /// command that handles them (<c>fleet simulate</c>): Akka's coordinated shutdown and the web host's console
    /// lifetime each take SIGTERM, cancel the process's exit and stop only themselves, so a SIGTERM left a simulation
    /// running without its orchestrator (a 100,000-device run was still busy 4 minutes later).
    /// </summary>
    public bool HandleTerminationSignals { get; init; } = true;

    /// <summary>Akka's own log level (DEBUG, INFO, WARNING, ERROR); INFO narrates every cluster step.</summary>
    public string AkkaLogLevel { get; init; } = "WARNING";

    /// <summary>The provisioned devices' salted secret hashes; default <c>{Server.DataDirectory}/device-credentials.json</c>.</summary>
    public string? DeviceCredentialsPath { get; init; }

    /// <summary>
    /// With an external Mosquitto: its <c>password_file</c>, where provisioning through the API also adds and removes
    /// devices (reload Mosquitto with SIGHUP to apply). Null: the external broker's users are managed elsewhere.
    /// </summary>
    public string? MosquittoPasswordFile { get; init; }

    /// <summary>
    /// With an external Mosquitto: the admin of its dynamic security plugin, through which provisioning creates and
    /// deletes device accounts at once on the shared broker (any node can). Null: not used.
    /// </summary>
    public global::FleetOrchestrator.Mqtt.Configuration.DynamicSecurityOptions? MosquittoDynamicSecurity { get; init; }

    /// <summary>The broker host name devices are told to connect to; default the broker's bind address.</summary>
    public string? PublicMqttHost { get; init; }

    /// <summary>The broker port and TLS flag devices are told, where they differ from the broker the node uses (an
    /// external broker behind a TLS front: the node on mosquitto:1883, devices on fleet:8883 with TLS). Null: the
    /// broker's own.</summary>
    public int? PublicMqttPort { get; init; }

    /// <inheritdoc cref="PublicMqttPort"/>
    public bool? PublicMqttTls { get; init; }

    /// <summary>Metrics (the <c>/metrics</c> scrape) and traces (OTLP when configured).</summary>
    public global::FleetOrchestrator.Host.Telemetry.TelemetryOptions Telemetry { get; init; } = new();
    /// <summary>Remoting address, seed nodes, roles, split-brain resolver; default one node joining itself.</summary>
    public FleetClusterOptions Cluster { get; init; } = new();

    /// <summary>Name of the actor system; nodes of one cluster share it.</summary>
    public string ActorSystemName { get; init; } = DefaultActorSystemName;

    public const string DefaultActorSystemName = "fleet";

    public string ResolveDeviceCredentialsPath() =>
        Path.GetFullPath(DeviceCredentialsPath ?? Path.Combine(Server.DataDirectory, global::FleetOrchestrator.Host.Provisioning.DeviceCredentialFile.DefaultFileName));
}
