using FleetOrchestrator.Mqtt.Configuration;
using FleetOrchestrator.Orchestration.Persistence;
using FleetOrchestrator.Server.Hosting;

namespace FleetOrchestrator.Host.Orchestrator;

/// <summary>
/// What <c>fleet serve</c> is configured with: the command-line options, or the same names in the <c>Fleet:Serve</c>
/// section of an appsettings file (<c>config/appsettings.serve.json</c>). Deliberately few knobs; the full
/// <see cref="OrchestratorOptions"/> stay available to code that hosts an <see cref="OrchestratorHost"/> itself.
/// </summary>
public sealed record ServeSettings
{
    public const string SectionName = "Fleet:Serve";

    /// <summary>Kestrel listen URL(s), ';'-separated.</summary>
    public string Urls { get; init; } = "http://127.0.0.1:8080";

    /// <summary>Port of the embedded broker (ignored with an external broker).</summary>
    public int MqttPort { get; init; } = 1883;

    /// <summary>Address the embedded broker listens on; 0.0.0.0 for devices on other machines.</summary>
    public string MqttBindAddress { get; init; } = "127.0.0.1";

    /// <summary>Artifacts, keys, secrets, device credentials and (by default) the SQLite journal.</summary>
    public string DataDirectory { get; init; } = ".fleet";

    /// <summary><c>sqlite:PATH</c> or <c>postgres://USER[:PASSWORD]@HOST:PORT/DATABASE</c>; default <c>sqlite:{DataDirectory}/fleet.db</c>.</summary>
    public string? Store { get; init; }

    /// <summary><c>embedded</c> or <c>mqtt://USER:PASSWORD@HOST:PORT</c> (the orchestrator's own login on an external broker).</summary>
    public string Broker { get; init; } = "embedded";

    /// <summary>The HTTP address devices reach the server at (download URLs are built on it); default the first bound address.</summary>
    public string? PublicUrl { get; init; }

    /// <summary>With an external Mosquitto: its password_file, kept in step by POST/DELETE on /api/devices.</summary>
    public string? MosquittoPasswordFile { get; init; }

    /// <summary>OTLP endpoint for saga spans and metrics; default OTEL_EXPORTER_OTLP_ENDPOINT, else none.</summary>
    public string? OtlpEndpoint { get; init; }

    /// <summary>Serve <c>/metrics</c> without an operator key (only where only Prometheus reaches the port).</summary>
    public bool MetricsWithoutKey { get; init; }

    /// <summary>Throws <see cref="FormatException"/> naming the bad setting.</summary>
    public OrchestratorOptions ToOrchestratorOptions()
    {
        if (MqttPort is < 0 or > 65535) throw new FormatException($"--mqtt-port must be from 0 to 65535, got {MqttPort}");
        if (string.IsNullOrWhiteSpace(DataDirectory)) throw new FormatException("--data-dir must not be empty");
        if (string.IsNullOrWhiteSpace(Urls)) throw new FormatException("--urls must not be empty");
        foreach (var url in Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var u) || u.Scheme is not ("http" or "https"))
                throw new FormatException($"--urls '{url}' is not an http:// or https:// URL");
        }
        Uri? publicUrl = null;
        if (!string.IsNullOrWhiteSpace(PublicUrl) &&
            (!Uri.TryCreate(PublicUrl, UriKind.Absolute, out publicUrl) || publicUrl.Scheme is not ("http" or "https")))
            throw new FormatException($"--public-url '{PublicUrl}' is not an http:// or https:// URL");

        Uri? otlp = null;
        if (!string.IsNullOrWhiteSpace(OtlpEndpoint) &&
            (!Uri.TryCreate(OtlpEndpoint, UriKind.Absolute, out otlp) || otlp.Scheme is not ("http" or "https")))
            throw new FormatException($"--otlp-endpoint '{OtlpEndpoint}' is not an http:// or https:// URL");

        var store = StoreUrl.Parse(Store);
        var broker = BrokerUrl.Parse(Broker);
        if (broker is null && !string.IsNullOrWhiteSpace(MosquittoPasswordFile))
            throw new FormatException("--mosquitto-passwd needs an external broker (--broker mqtt://USER:PASSWORD@HOST:PORT); the embedded broker checks the credential file itself");
        return new OrchestratorOptions
        {
            Persistence = store?.Options ?? FleetPersistenceOptions.Sqlite(Path.GetFullPath(Path.Combine(DataDirectory, "fleet.db"))),
            Mqtt = broker is null
                ? new MqttTransportOptions { Embedded = new EmbeddedBrokerOptions { Port = MqttPort, BindAddress = MqttBindAddress } }
                : new MqttTransportOptions { Mode = MqttTransportMode.External, External = broker.ToOptions() },
            Server = new FleetServerOptions { Urls = Urls, DataDirectory = DataDirectory, PublicBaseUrl = publicUrl },
            PublicMqttHost = publicUrl?.Host,
            MosquittoPasswordFile = string.IsNullOrWhiteSpace(MosquittoPasswordFile) ? null : MosquittoPasswordFile,
            Telemetry = new Telemetry.TelemetryOptions { OtlpEndpoint = otlp, MetricsRequireKey = !MetricsWithoutKey },
        };
    }

    /// <summary>The store as shown to the operator (no password).</summary>
    public string StoreDisplay() =>
        StoreUrl.Parse(Store)?.Display ?? $"sqlite:{Path.GetFullPath(Path.Combine(DataDirectory, "fleet.db"))}";

    /// <summary>The broker as shown to the operator (no password).</summary>
    public string BrokerDisplay() => BrokerUrl.Parse(Broker)?.ToString() ?? "embedded";
}
