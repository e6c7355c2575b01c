using FleetOrchestrator.Host.Tls;
using FleetOrchestrator.Mqtt.Configuration;
using FleetOrchestrator.Orchestration.Devices.Messages;
using FleetOrchestrator.Orchestration.Hosting;
using FleetOrchestrator.Orchestration.Persistence;
using FleetOrchestrator.Server.Hosting;
using Microsoft.Extensions.Configuration;

namespace FleetOrchestrator.Host.Orchestrator;

/// <summary>
/// What <c>fleet serve</c> is configured with: the command-line options, or the same names in the <c>Fleet:Serve</c>
/// section (the cluster's in <c>Fleet:Cluster</c>) of an appsettings file (<c>config/appsettings.serve.json</c>) or of
/// the environment (<c>FLEET__SERVE__URLS</c>, <c>FLEET__CLUSTER__SEEDNODES__0</c>); <see cref="Load"/> reads both.
/// Deliberately few knobs; the full <see cref="OrchestratorOptions"/> stay available to code that hosts an
/// <see cref="OrchestratorHost"/> itself.
/// </summary>
public sealed record ServeSettings
{
    public const string SectionName = "Fleet:Serve";

    public const string DefaultUrls = "http://127.0.0.1:8080";

    /// <summary>What <see cref="DefaultUrls"/> becomes when TLS is asked for.</summary>
    public const string DefaultTlsUrls = "https://127.0.0.1:8443";

    /// <summary>Kestrel listen URL(s), ';'-separated.</summary>
    public string Urls { get; init; } = DefaultUrls;

    /// <summary>
    /// TLS for HTTPS and MQTT even without a certificate (a self-signed one is made in the data directory). Also on
    /// with <see cref="TlsCertificate"/> or an https:// URL.
    /// </summary>
    public bool Tls { get; init; }

    /// <summary>PEM certificate for HTTPS and MQTT over TLS (with <see cref="TlsKey"/>).</summary>
    public string? TlsCertificate { get; init; }

    /// <summary>PEM private key of <see cref="TlsCertificate"/>.</summary>
    public string? TlsKey { get; init; }

    /// <summary>The embedded broker's MQTT-over-TLS port (with TLS on).</summary>
    public int MqttTlsPort { get; init; } = 8883;

    /// <summary>
    /// The embedded broker's plain port (<see cref="MqttPort"/>): null follows TLS (on without TLS, off with it);
    /// true keeps it beside the TLS port, for devices not yet moved over.
    /// </summary>
    public bool? MqttPlain { get; init; }

    /// <summary>Port of the embedded broker (ignored with an external broker).</summary>
    public int MqttPort { get; init; } = 1883;

    /// <summary>Address the embedded broker listens on; 0.0.0.0 for devices on other machines.</summary>
    public string MqttBindAddress { get; init; } = "127.0.0.1";

    /// <summary>Artifacts, keys, secrets, device credentials and (by default) the SQLite journal.</summary>
    public string DataDirectory { get; init; } = ".fleet";

    /// <summary><c>sqlite:PATH</c> or <c>postgres://USER[:PASSWORD]@HOST:PORT/DATABASE</c>; default <c>sqlite:{DataDirectory}/fleet.db</c>.</summary>
    public string? Store { get; init; }

    /// <summary><c>embedded</c>, or <c>mqtt://USER:PASSWORD@HOST:PORT</c> or <c>mqtts://…</c> (TLS): the
    /// orchestrator's own login on an external broker.</summary>
    public string Broker { get; init; } = "embedded";

    /// <summary>With <c>--broker mqtts://…</c>: PEM file of the CA (or the broker's self-signed certificate) the
    /// broker's certificate must chain to; default the operating system's trust store.</summary>
    public string? BrokerCa { get; init; }

    /// <summary>The HTTP address devices reach the server at (download URLs are built on it); default the first bound address.</summary>
    public string? PublicUrl { get; init; }

    /// <summary>With an external Mosquitto: its password_file, kept in step by POST/DELETE on /api/devices.</summary>
    public string? MosquittoPasswordFile { get; init; }

    /// <summary>PEM file of the manifest signing key (a secret mounted into a container); when set it signs, not the
    /// key in the database. Every node needs the same file.</summary>
    public string? SigningKey { get; init; }

    /// <summary>Where devices reach the broker, mqtt://HOST:PORT or mqtts://HOST:PORT (TLS), when it is not where this
    /// node reaches it (an external broker behind a TLS front); default the broker's own port and TLS with the host
    /// of <see cref="PublicUrl"/>.</summary>
    public string? PublicMqtt { get; init; }

    /// <summary>
    /// With an external Mosquitto: <c>USER:PASSWORD</c> of its dynamic security plugin's admin; POST/DELETE on
    /// /api/devices then create and delete the device's broker account at once, from any node.
    /// </summary>
    public string? MosquittoDynsec { get; init; }

    /// <summary>
    /// Days audit records are kept before the server removes them (hourly, every node); 0 keeps them for ever. A year
    /// by default: every failed sign-in is a record, and a trail nobody bounds grows with every guess.
    /// </summary>
    public int AuditRetentionDays { get; init; } = (int)FleetServerOptions.DefaultAuditRetention.TotalDays;

    /// <summary>OTLP endpoint for saga spans and metrics; default OTEL_EXPORTER_OTLP_ENDPOINT, else none.</summary>
    public string? OtlpEndpoint { get; init; }

    /// <summary>Serve <c>/metrics</c> without an operator key (only where only Prometheus reaches the port).</summary>
    public bool MetricsWithoutKey { get; init; }

    /// <summary>
    /// Remoting, seed nodes, roles, split-brain resolver: section <c>Fleet:Cluster</c>, beside Fleet:Serve.
    /// </summary>
    public FleetClusterOptions Cluster { get; init; } = new();

    /// <summary>Section of the sagas' timing (<see cref="UpdatePolicy"/>), beside Fleet:Serve.</summary>
    public const string UpdatePolicySectionName = "Fleet:UpdatePolicy";

    /// <summary>
    /// The timing and retry rules every new saga starts with (health window, deadlines, re-sends): section
    /// <c>Fleet:UpdatePolicy</c>, e.g. <c>FLEET__UPDATEPOLICY__HEALTHWINDOW=00:30:00</c>. A running saga keeps the
    /// rules
    /// it started with.
    /// </summary>
    public UpdatePolicy UpdatePolicy { get; init; } = UpdatePolicy.Default;

    /// <summary>
    /// The settings from an appsettings file (optional), overridden by environment variables (the standard
    /// configuration binder: <c>FLEET__CLUSTER__PORT</c> is <c>Fleet:Cluster:Port</c>). The command line's options
    /// override the result. Throws <see cref="IOException"/> for a missing file, <see cref="FormatException"/> for a
    /// value that does not bind.
    /// </summary>
    public static ServeSettings Load(string? appsettingsPath)
    {
        var builder = new ConfigurationBuilder();
        if (appsettingsPath is not null)
        {
            if (!File.Exists(appsettingsPath)) throw new IOException($"--config '{appsettingsPath}' does not exist");
            builder.AddJsonFile(Path.GetFullPath(appsettingsPath), optional: false);
        }
        return FromConfiguration(builder.AddEnvironmentVariables().Build());
    }

    /// <summary>Binds <see cref="SectionName"/> and <see cref="FleetClusterOptions.SectionName"/>.</summary>
    public static ServeSettings FromConfiguration(IConfiguration configuration)
    {
        try
        {
            var settings = configuration.GetSection(SectionName).Get<ServeSettings>() ?? new ServeSettings();
            return settings with
            {
                Cluster = configuration.GetSection(FleetClusterOptions.SectionName).Get<FleetClusterOptions>()
                          ?? new FleetClusterOptions(),
                UpdatePolicy = configuration.GetSection(UpdatePolicySectionName).Get<UpdatePolicy>()
                               ?? UpdatePolicy.Default,
            };
        }
        catch (InvalidOperationException e)
        {
            // The binder names the key and the value it could not convert.
            throw new FormatException(e.Message, e);
        }
    }

    /// <summary>Throws <see cref="FormatException"/> naming the bad setting.</summary>
    public OrchestratorOptions ToOrchestratorOptions()
    {
        if (MqttPort is < 0 or > 65535) throw new FormatException($"--mqtt-port must be from 0 to 65535, got {MqttPort}");
        if (MqttTlsPort is < 0 or > 65535)
            throw new FormatException($"--mqtt-tls-port must be from 0 to 65535, got {MqttTlsPort}");
        if (string.IsNullOrWhiteSpace(DataDirectory)) throw new FormatException("--data-dir must not be empty");
        if (AuditRetentionDays < 0)
            throw new FormatException(
                $"--audit-retention-days must be 0 (keep for ever) or a number of days, got {AuditRetentionDays}");
        if (string.IsNullOrWhiteSpace(Urls)) throw new FormatException("--urls must not be empty");
        var listenUrls = new List<Uri>();
        foreach (var url in Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var u) || u.Scheme is not ("http" or "https"))
                throw new FormatException($"--urls '{url}' is not an http:// or https:// URL");
            listenUrls.Add(u);
        }
        Uri? publicUrl = null;
        if (!string.IsNullOrWhiteSpace(PublicUrl) &&
            (!Uri.TryCreate(PublicUrl, UriKind.Absolute, out publicUrl) || publicUrl.Scheme is not ("http" or "https")))
            throw new FormatException($"--public-url '{PublicUrl}' is not an http:// or https:// URL");
        var tls = ToTlsOptions(listenUrls, publicUrl);
        var urls = tls is not null && Urls == DefaultUrls ? DefaultTlsUrls : Urls;

        Uri? otlp = null;
        if (!string.IsNullOrWhiteSpace(OtlpEndpoint) &&
            (!Uri.TryCreate(OtlpEndpoint, UriKind.Absolute, out otlp) || otlp.Scheme is not ("http" or "https")))
            throw new FormatException($"--otlp-endpoint '{OtlpEndpoint}' is not an http:// or https:// URL");

        Cluster.Validate(OrchestratorOptions.DefaultActorSystemName);
        if (UpdatePolicy.DescribeProblem() is { } policyProblem)
            throw new FormatException($"{UpdatePolicySectionName}: {policyProblem}");
        var store = StoreUrl.Parse(Store);
        var broker = BrokerUrl.Parse(Broker);
        if (broker is null && !string.IsNullOrWhiteSpace(MosquittoPasswordFile))
            throw new FormatException("--mosquitto-passwd needs an external broker (--broker mqtt://USER:PASSWORD@HOST:PORT); the embedded broker checks the credential file itself");
        var dynsec = string.IsNullOrWhiteSpace(MosquittoDynsec) ? null : MosquittoDynsec;
        if (dynsec is not null && broker is null)
            throw new FormatException(
                "--mosquitto-dynsec needs an external broker (--broker mqtt://USER:PASSWORD@HOST:PORT)");
        if (dynsec is not null && !string.IsNullOrWhiteSpace(MosquittoPasswordFile))
            throw new FormatException(
                "give --mosquitto-dynsec or --mosquitto-passwd, not both: a broker uses one of them");
        var dynsecColon = dynsec?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        if (dynsec is not null && (dynsecColon <= 0 || dynsecColon == dynsec.Length - 1))
            throw new FormatException("--mosquitto-dynsec takes the plugin admin's USER:PASSWORD");
        var brokerCa = string.IsNullOrWhiteSpace(BrokerCa) ? null : Path.GetFullPath(BrokerCa);
        if (brokerCa is not null)
        {
            if (broker is not { UseTls: true })
                throw new FormatException(
                    "--broker-ca needs a broker reached over TLS (--broker mqtts://USER:PASSWORD@HOST:PORT)");
            // Read now, so a missing or broken file is a settings error naming it, not a failed start later.
            _ = Mqtt.Security.ServerTrust.FromCaFile(brokerCa);
        }
        var nodeClientId = NodeClientId.For(DataDirectory);
        var publicMqtt = ParsePublicMqtt(PublicMqtt);
        return new OrchestratorOptions
        {
            Persistence = store?.Options ?? FleetPersistenceOptions.Sqlite(Path.GetFullPath(Path.Combine(DataDirectory, "fleet.db"))),
            Mqtt = broker is null
                ? new MqttTransportOptions
                {
                    Embedded = new EmbeddedBrokerOptions
                    {
                        Port = MqttPort, BindAddress = MqttBindAddress, TlsPort = MqttTlsPort,
                        PlainListener = MqttPlain ?? tls is null,
                    },
                }
                : new MqttTransportOptions
                {
                    Mode = MqttTransportMode.External,
                    External = broker.ToOptions() with { ClientId = nodeClientId, CaFile = brokerCa },
                },
            MosquittoDynamicSecurity = dynsec is null || broker is null ? null : new DynamicSecurityOptions
            {
                Host = broker.Host,
                Port = broker.Port,
                AdminUserName = dynsec[..dynsecColon],
                AdminPassword = dynsec[(dynsecColon + 1)..],
                ClientId = nodeClientId + "-dynsec",
                UseTls = broker.UseTls,
                CaFile = brokerCa,
            },
            Server = new FleetServerOptions
            {
                Urls = urls, DataDirectory = DataDirectory, PublicBaseUrl = publicUrl,
                SigningKeyPath = string.IsNullOrWhiteSpace(SigningKey) ? null : Path.GetFullPath(SigningKey),
                AuditRetention = AuditRetentionDays == 0 ? null : TimeSpan.FromDays(AuditRetentionDays),
            },
            Tls = tls,
            PublicMqttHost = publicMqtt?.Host ?? publicUrl?.Host,
            PublicMqttPort = publicMqtt?.Port,
            PublicMqttTls = publicMqtt is null ? null : publicMqtt.Scheme == "mqtts",
            MosquittoPasswordFile = string.IsNullOrWhiteSpace(MosquittoPasswordFile) ? null : MosquittoPasswordFile,
            Telemetry = new Telemetry.TelemetryOptions { OtlpEndpoint = otlp, MetricsRequireKey = !MetricsWithoutKey },
            Cluster = Cluster,
            UpdatePolicy = UpdatePolicy,
        };
    }

    private static Uri? ParsePublicMqtt(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("mqtt" or "mqtts")
            || uri.IsDefaultPort || uri.Port <= 0 || uri.AbsolutePath != "/" || uri.UserInfo.Length > 0)
            throw new FormatException($"--public-mqtt '{value}' is not mqtt://HOST:PORT or mqtts://HOST:PORT");
        return uri;
    }

    // TLS is asked for by --tls, by a certificate, or by an https:// URL; a generated certificate also names the hosts
    // the operator gave (the public URL's, a concrete listen address) besides the machine's own names.
    private ServerTlsOptions? ToTlsOptions(IReadOnlyList<Uri> listenUrls, Uri? publicUrl)
    {
        var certificate = string.IsNullOrWhiteSpace(TlsCertificate) ? null : TlsCertificate;
        var key = string.IsNullOrWhiteSpace(TlsKey) ? null : TlsKey;
        if ((certificate is null) != (key is null))
            throw new FormatException("--tls-cert and --tls-key go together: give both or neither");
        var asked = Tls || certificate is not null || listenUrls.Any(u => u.Scheme == "https")
                    || publicUrl?.Scheme == "https";
        if (!asked) return null;
        string[] wildcard = ["0.0.0.0", "[::]", "::", "*", "+"];
        var hosts = listenUrls.Select(u => u.Host).Append(publicUrl?.Host).Append(MqttBindAddress)
            .OfType<string>().Where(h => !wildcard.Contains(h)).Select(h => h.Trim('[', ']'))
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return new ServerTlsOptions { CertificatePath = certificate, KeyPath = key, SelfSignedHosts = hosts };
    }

    /// <summary>The store as shown to the operator (no password).</summary>
    public string StoreDisplay() =>
        StoreUrl.Parse(Store)?.Display ?? $"sqlite:{Path.GetFullPath(Path.Combine(DataDirectory, "fleet.db"))}";

    /// <summary>The broker as shown to the operator (no password).</summary>
    public string BrokerDisplay() => BrokerUrl.Parse(Broker)?.ToString() ?? "embedded";
}
