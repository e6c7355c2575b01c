namespace FleetOrchestrator.Host.Telemetry;

/// <summary>How the orchestrator exposes its metrics and traces (docs/serve.md, "Metrics and traces").</summary>
public sealed record TelemetryOptions
{
    /// <summary>
    /// Whether a scrape of <c>/metrics</c> needs an operator key (<c>Authorization: Bearer</c>, Prometheus'
    /// <c>authorization</c> setting). False serves it to anyone who reaches the port: only behind a network that
    /// only Prometheus reaches.
    /// </summary>
    public bool MetricsRequireKey { get; init; } = true;

    /// <summary>
    /// OTLP endpoint (e.g. <c>http://collector:4317</c>) that receives saga spans and the metrics; null: the
    /// standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> variable when set, otherwise nothing is exported over OTLP.
    /// </summary>
    public Uri? OtlpEndpoint { get; init; }

    /// <summary>How old the read-model counts behind the gauges may be: scrapes within it share one query.</summary>
    public TimeSpan GaugeMaxAge { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The OTLP endpoint in force: <see cref="OtlpEndpoint"/> or the environment's.</summary>
    public Uri? ResolveOtlpEndpoint(Func<string, string?>? environment = null)
    {
        if (OtlpEndpoint is not null) return OtlpEndpoint;
        var value = (environment ?? Environment.GetEnvironmentVariable)("OTEL_EXPORTER_OTLP_ENDPOINT");
        return Uri.TryCreate(value, UriKind.Absolute, out var uri) ? uri : null;
    }
}
