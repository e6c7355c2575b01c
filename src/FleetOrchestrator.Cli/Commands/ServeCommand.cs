using System.CommandLine;
using FleetOrchestrator.Host.Orchestrator;
using FleetOrchestrator.Host.Provisioning;
using FleetOrchestrator.Host.Tls;
using FleetOrchestrator.Host.SharedState;
using FleetOrchestrator.Mqtt.Configuration;
using FleetOrchestrator.Server.Access;
using FleetOrchestrator.Server.Artifacts;
using FleetOrchestrator.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FleetOrchestrator.Cli.Commands;

/// <summary>
/// `fleet serve [--config FILE] [--urls URLS] [--mqtt-port N] [--mqtt-bind ADDR] [--data-dir DIR] [--store URL]
/// [--broker embedded|mqtt(s)://USER:PASS@HOST:PORT] [--broker-ca FILE] [--public-url URL]
/// [--mosquitto-passwd FILE] [--cluster-host ADDR]
/// [--cluster-port N] [--cluster-public-host HOST] [--seed-node HOST:PORT]... [--role ROLE]...`: one orchestrator
/// (embedded broker and SQLite by default; a one-node cluster without seeds) until Ctrl+C or SIGTERM. Options given on
/// the command line win over the environment, which wins over the config file (<see cref="ServeSettings.Load"/>).
/// Exit 0 after a clean stop, 2 on bad settings or when it cannot start.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "appsettings JSON file with a Fleet:Serve section (see config/appsettings.serve.json)" };
        var urls = new Option<string?>("--urls") { Description = "HTTP listen URL(s), ';'-separated (default http://127.0.0.1:8080)" };
        var mqttPort = new Option<int?>("--mqtt-port") { Description = "Embedded broker port (default 1883)" };
        var mqttBind = new Option<string?>("--mqtt-bind") { Description = "Embedded broker listen address (default 127.0.0.1; 0.0.0.0 for devices on other machines)" };
        var dataDir = new Option<string?>("--data-dir") { Description = "Artifacts, keys, secrets, device credentials, SQLite journal (default .fleet)" };
        var store = new Option<string?>("--store") { Description = "sqlite:PATH (default sqlite:DATA-DIR/fleet.db) or postgres://USER[:PASSWORD]@HOST:PORT/DATABASE" };
        var broker = new Option<string?>("--broker")
        {
            Description = "embedded (default), or mqtt://USER:PASSWORD@HOST:PORT or mqtts://… (TLS, default port "
                + "8883) for an external broker such as Mosquitto",
        };
        var brokerCa = new Option<string?>("--broker-ca")
        {
            Description = "With --broker mqtts://…: PEM file of the CA (or the broker's self-signed certificate) the "
                + "broker's certificate must chain to, its host name checked too (default: the system's trust store)",
        };
        var publicUrl = new Option<string?>("--public-url") { Description = "HTTP address devices reach this server at (download URLs use it); also names the MQTT host devices are told" };
        var mosquitto = new Option<string?>("--mosquitto-passwd") { Description = "With --broker mqtt://…: Mosquitto's password_file, kept in step by POST/DELETE /api/devices (reload Mosquitto with SIGHUP)" };
        var dynsec = new Option<string?>("--mosquitto-dynsec")
        {
            Description = "With --broker mqtt://…: USER:PASSWORD of Mosquitto's dynamic security admin; "
                + "POST/DELETE /api/devices create and delete the device's broker account at once",
        };
        var otlp = new Option<string?>("--otlp-endpoint")
        {
            Description = "Export saga spans and metrics over OTLP to this collector "
                + "(default: OTEL_EXPORTER_OTLP_ENDPOINT, else off)",
        };
        var metricsWithoutKey = new Option<bool>("--metrics-without-key")
        {
            Description = "Serve /metrics without the operator key (only where only Prometheus reaches the port)",
        };
        var clusterHost = new Option<string?>("--cluster-host")
        {
            Description = "Address Akka remoting binds (default 127.0.0.1; 0.0.0.0 for other machines)",
        };
        var clusterPort = new Option<int?>("--cluster-port")
        {
            Description = "Akka remoting port (default 0: any free port; fix it when other nodes name this one a seed)",
        };
        var clusterPublicHost = new Option<string?>("--cluster-public-host")
        {
            Description = "Host name the other nodes reach this one at (default --cluster-host)",
        };
        var seedNodes = new Option<string[]>("--seed-node")
        {
            Description = "A node to join, HOST:PORT or akka.tcp://fleet@HOST:PORT; repeatable "
                + "(none: a cluster of its own)",
        };
        var roles = new Option<string[]>("--role") { Description = "A cluster role of this node; repeatable" };
        var signingKey = new Option<string?>("--signing-key")
        {
            Description = "PEM file of the manifest signing key (a mounted secret); wins over the one in the database",
        };
        var tls = new Option<bool>("--tls")
        {
            Description = "HTTPS and MQTT over TLS; without --tls-cert a self-signed certificate is made in the "
                + "data dir (default URL then https://127.0.0.1:8443)",
        };
        var tlsCert = new Option<string?>("--tls-cert") { Description = "PEM certificate for HTTPS and MQTT over TLS" };
        var tlsKey = new Option<string?>("--tls-key") { Description = "PEM private key of --tls-cert" };
        var mqttTlsPort = new Option<int?>("--mqtt-tls-port")
        {
            Description = "Embedded broker's MQTT-over-TLS port (default 8883)",
        };
        var mqttPlain = new Option<bool>("--mqtt-plain")
        {
            Description = "With TLS: keep the plain --mqtt-port open too (off by default when TLS is on)",
        };
        var publicMqtt = new Option<string?>("--public-mqtt")
        {
            Description = "mqtt://HOST:PORT or mqtts://HOST:PORT devices are told to connect to, when not the broker's "
                + "own (an external broker behind a TLS front)",
        };
        var auditRetention = new Option<int?>("--audit-retention-days")
        {
            Description = "Days audit records are kept, then removed hourly (default 365; 0 keeps them for ever)",
        };
        var command = new Command("serve", "Run the orchestrator: MQTT broker, update sagas, artifact store, device downloads and the operator REST API")
        {
            config, urls, mqttPort, mqttBind, dataDir, store, broker, publicUrl, mosquitto, dynsec, otlp,
            metricsWithoutKey, clusterHost, clusterPort, clusterPublicHost, seedNodes, roles, signingKey, tls, tlsCert,
            tlsKey, mqttTlsPort, mqttPlain, publicMqtt, brokerCa, auditRetention,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var stdout = parseResult.InvocationConfiguration.Output;
            var stderr = parseResult.InvocationConfiguration.Error;
            ServeSettings settings;
            OrchestratorOptions options;
            try
            {
                settings = ServeSettings.Load(parseResult.GetValue(config));
                settings = settings with
                {
                    Urls = parseResult.GetValue(urls) ?? settings.Urls,
                    MqttPort = parseResult.GetValue(mqttPort) ?? settings.MqttPort,
                    MqttBindAddress = parseResult.GetValue(mqttBind) ?? settings.MqttBindAddress,
                    DataDirectory = parseResult.GetValue(dataDir) ?? settings.DataDirectory,
                    Store = parseResult.GetValue(store) ?? settings.Store,
                    Broker = parseResult.GetValue(broker) ?? settings.Broker,
                    BrokerCa = parseResult.GetValue(brokerCa) ?? settings.BrokerCa,
                    PublicUrl = parseResult.GetValue(publicUrl) ?? settings.PublicUrl,
                    MosquittoPasswordFile = parseResult.GetValue(mosquitto) ?? settings.MosquittoPasswordFile,
                    MosquittoDynsec = parseResult.GetValue(dynsec) ?? settings.MosquittoDynsec,
                    OtlpEndpoint = parseResult.GetValue(otlp) ?? settings.OtlpEndpoint,
                    MetricsWithoutKey = parseResult.GetValue(metricsWithoutKey) || settings.MetricsWithoutKey,
                    Tls = parseResult.GetValue(tls) || settings.Tls,
                    TlsCertificate = parseResult.GetValue(tlsCert) ?? settings.TlsCertificate,
                    TlsKey = parseResult.GetValue(tlsKey) ?? settings.TlsKey,
                    MqttTlsPort = parseResult.GetValue(mqttTlsPort) ?? settings.MqttTlsPort,
                    MqttPlain = parseResult.GetValue(mqttPlain) ? true : settings.MqttPlain,
                    SigningKey = parseResult.GetValue(signingKey) ?? settings.SigningKey,
                    PublicMqtt = parseResult.GetValue(publicMqtt) ?? settings.PublicMqtt,
                    AuditRetentionDays = parseResult.GetValue(auditRetention) ?? settings.AuditRetentionDays,
                    Cluster = settings.Cluster with
                    {
                        Hostname = parseResult.GetValue(clusterHost) ?? settings.Cluster.Hostname,
                        Port = parseResult.GetValue(clusterPort) ?? settings.Cluster.Port,
                        PublicHostname = parseResult.GetValue(clusterPublicHost) ?? settings.Cluster.PublicHostname,
                        // A list given on the command line replaces the configured one (no merge by index).
                        SeedNodes = parseResult.GetValue(seedNodes) is { Length: > 0 } s
                            ? s : settings.Cluster.SeedNodes,
                        Roles = parseResult.GetValue(roles) is { Length: > 0 } r ? r : settings.Cluster.Roles,
                    },
                };
                options = settings.ToOrchestratorOptions();
            }
            catch (Exception e) when (e is FormatException or InvalidDataException or IOException or InvalidOperationException)
            {
                await stderr.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                return ExitCodes.UsageOrIoError;
            }

            // One process per data directory: a second server would corrupt the journal.
            DataDirectoryLock dataLock;
            try
            {
                dataLock = DataDirectoryLock.Acquire(options.Server.ResolveDataDirectory(), "fleet serve");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await stderr.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                return ExitCodes.UsageOrIoError;
            }
            using var heldDataDirectory = dataLock;

            // A failed start is reported once, as one line, by this command; not again with a stack trace.
            using var logs = CliLogging.Create(b => b.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None));
            string? newOperatorKey;
            var host = new OrchestratorHost(options, logs);
            try
            {
                Directory.CreateDirectory(options.Server.ResolveDataDirectory());
                newOperatorKey = OperatorKeyBootstrap.EnsureKey(options.Server,
                    new DatabaseServerSecrets(options.Persistence));
                await host.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await stderr.WriteLineAsync($"error: the orchestrator could not start: {e.Message}").ConfigureAwait(false);
                await host.DisposeAsync().ConfigureAwait(false);
                return ExitCodes.UsageOrIoError;
            }

            await using (host.ConfigureAwait(false))
            {
                await stdout.WriteLineAsync(Banner(host, settings, options, newOperatorKey)).ConfigureAwait(false);
                await stdout.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                // ASP.NET Core's console lifetime takes SIGINT/SIGTERM before System.CommandLine sees them and stops the
                // web side: either signal path ends the whole orchestrator.
                var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                using (cancellationToken.Register(() => stopped.TrySetResult()))
                using (host.Web.Lifetime.ApplicationStopping.Register(() => stopped.TrySetResult()))
                    await stopped.Task.ConfigureAwait(false);
                await stdout.WriteLineAsync("stopping: closing HTTP, the broker and the actor system").ConfigureAwait(false);
            }
            await stdout.WriteLineAsync("stopped").ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    private static string ClusterDisplay(OrchestratorOptions options)
    {
        var cluster = options.Cluster;
        var seeds = cluster.SeedNodes.Length == 0
            ? "no seed nodes: a cluster of its own"
            : $"seeds {string.Join(", ", cluster.SeedAddresses(options.ActorSystemName))}";
        var roles = cluster.Roles.Length == 0 ? "no roles" : $"roles {string.Join(", ", cluster.Roles)}";
        return $"({seeds}; {roles}; split-brain resolver {cluster.SplitBrainResolver})";
    }

    private static string MqttTlsDisplay(OrchestratorHost host) =>
        host.BrokerUsesTls
            ? host.BrokerPlainPort is { } plain ? $", TLS; plain MQTT also on {plain}" : ", TLS; no plain port"
            : "";

    private static IEnumerable<string> TlsLines(OrchestratorHost host)
    {
        if (host.TlsCertificate is not { } certificate) yield break;
        var origin = !certificate.SelfSigned ? "given"
            : certificate.Generated ? "self-signed, generated now" : "self-signed, reused";
        yield return $"  tls          {certificate.CertificatePath}  ({origin}; HTTPS and MQTT over TLS)";
        yield return $"               SHA-256 {certificate.Fingerprint}  "
                     + "(devices and clients pin it or trust the file)";
    }

    private static string Banner(OrchestratorHost host, ServeSettings settings, OrchestratorOptions options, string? newOperatorKey)
    {
        var secrets = host.Web.Services.GetRequiredService<ServerSecrets>();
        var (mqttHost, mqttPort) = host.BrokerEndpoint;
        List<string> lines =
        [
            "fleet serve: the orchestrator is running",
            $"  http         {string.Join(", ", host.Web.BoundAddresses())}  "
                + "(dashboard /, operator API /api, device downloads /artifacts, /healthz)",
            $"  metrics      /metrics ({(options.Telemetry.MetricsRequireKey ? "a key of any role" : "no key")}), "
                + $"/openapi/v1.json; traces over OTLP: {options.Telemetry.ResolveOtlpEndpoint()?.ToString() ?? "off"}",
            options.Mqtt.Mode == MqttTransportMode.Embedded
                ? $"  mqtt         {mqttHost}:{mqttPort}  (embedded broker{MqttTlsDisplay(host)}; "
                  + "devices log in with their id and secret)"
                : options.MosquittoDynamicSecurity is { } dynsec
                    ? $"  mqtt         {settings.BrokerDisplay()} as {options.Mqtt.External.ClientId}  "
                        + "(external broker; /api/devices also makes device accounts in its dynamic security "
                        + $"plugin as '{dynsec.AdminUserName}')"
                : options.MosquittoPasswordFile is { } passwd
                    ? $"  mqtt         {settings.BrokerDisplay()}  (external broker; /api/devices also writes {Path.GetFullPath(passwd)}: send Mosquitto SIGHUP after changes)"
                    : $"  mqtt         {settings.BrokerDisplay()}  (external broker; its password file is not managed here: fleet devices add --mosquitto-passwd)",
            .. TlsLines(host),
            $"  store        {settings.StoreDisplay()}",
            $"  cluster      {Akka.Cluster.Cluster.Get(host.System).SelfAddress}  {ClusterDisplay(options)}",
            $"  data dir     {options.Server.ResolveDataDirectory()}",
            $"  public key   {secrets.PublicKeyPath}  (key id {secrets.SigningKey.KeyId}; devices verify manifests with it)",
            $"  devices      {host.ProvisionedAtStart} provisioned, in the store's device_credentials",
        ];
        // What this start moved from the data directory's files into the database (once; the files stay, unread).
        if (host.Devices.ImportedAtStart > 0)
            lines.Add($"  imported     {host.Devices.ImportedAtStart} device credential(s) from " +
                      host.Devices.File.Path);
        foreach (var imported in secrets.Imported) lines.Add($"  imported     {imported}");
        if (host.Web.Services.GetRequiredService<ArtifactStore>().LastImport is { Imported: > 0 } artifacts)
            lines.Add($"  imported     {artifacts.Imported} artifact(s) from " +
                      options.Server.ResolveArtifactsDirectory());
        if (newOperatorKey is not null)
        {
            lines.Add($"  operator key {newOperatorKey}");
            lines.Add("               shown once: only its SHA-256 is kept (in the store's shared_secrets)");
        }
        else
        {
            lines.Add("  operator key as issued at first start (its SHA-256 is in the store)");
        }
        lines.Add($"               the admin key '{ApiKeySecrets.BootstrapKeyName}': it creates the other keys " +
                  "(POST /api/keys, docs/serve.md)");
        lines.AddRange(PlainBindWarnings.For(options).Select(w => $"  warning      {w}"));
        lines.Add("Press Ctrl+C to stop.");
        return string.Join(Environment.NewLine, lines);
    }
}
