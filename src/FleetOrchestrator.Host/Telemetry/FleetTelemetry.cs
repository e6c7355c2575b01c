using Akka.Actor;
using Akka.Hosting;
using FleetOrchestrator.Mqtt.Telemetry;
using FleetOrchestrator.Orchestration.ReadModel.Storage;
using FleetOrchestrator.Orchestration.Rollouts;
using FleetOrchestrator.Orchestration.Rollouts.Messages;
using FleetOrchestrator.Orchestration.Rollouts.Sharding;
using FleetOrchestrator.Orchestration.Telemetry;
using FleetOrchestrator.Server.Hosting;
using FleetOrchestrator.Server.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace FleetOrchestrator.Host.Telemetry;

/// <summary>
/// Metrics and traces of an orchestrator process (OpenTelemetry): every layer's meter, the read-model gauges, a
/// Prometheus scrape at <see cref="MetricsPath"/>, and, when an OTLP endpoint is configured, saga spans and the
/// metrics over OTLP. The instrument names are listed in docs/serve.md ("Metrics and traces").
/// </summary>
public static class FleetTelemetry
{
    public const string MetricsPath = "/metrics";

    /// <summary>The meters the scrape serves: ours, then ASP.NET Core's and the runtime's built-in ones.</summary>
    public static IReadOnlyList<string> Meters { get; } =
    [
        OrchestrationMetrics.MeterName, MqttMetrics.MeterName, ServerMetrics.MeterName, ReadModelGauges.MeterName,
        "Microsoft.AspNetCore.Hosting", "System.Runtime",
    ];

    public static IServiceCollection AddFleetTelemetry(this IServiceCollection services, TelemetryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(options);
        services.AddSingleton(sp => new ReadModelGauges(
            sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(),
            sp.GetRequiredService<FleetReadStore>(),
            (id, ct) => WavesOfAsync(sp.GetRequiredService<ActorRegistry>().Get<RolloutRegion>(), id, ct),
            TimeProvider.System, options,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<ReadModelGauges>()));
        var otlp = options.ResolveOtlpEndpoint();
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("fleet-orchestrator"))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter([.. Meters])
                    // Each scrape collects afresh: the gauges keep their own short cache (GaugeMaxAge).
                    .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0);
                if (otlp is not null) metrics.AddOtlpExporter(o => Point(o, otlp));
            });
        if (otlp is not null)
            telemetry.WithTracing(tracing => tracing.AddSource(SagaTracing.SourceName)
                .AddOtlpExporter(o => Point(o, otlp)));
        return services;
    }

    /// <summary>
    /// Maps the scrape endpoint, behind the operator key unless <see cref="TelemetryOptions.MetricsRequireKey"/> is
    /// off; creates the read-model gauges (their meter must exist before the first scrape).
    /// </summary>
    public static IEndpointRouteBuilder MapFleetTelemetry(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.ServiceProvider.GetRequiredService<ReadModelGauges>();
        var options = endpoints.ServiceProvider.GetRequiredService<TelemetryOptions>();
        var scrape = endpoints.MapPrometheusScrapingEndpoint(MetricsPath).ExcludeFromDescription();
        if (options.MetricsRequireKey) scrape.RequireAuthorization(FleetPolicies.Operator);
        return endpoints;
    }

    // OTLP over HTTP needs the signal's path; gRPC (port 4317, the default protocol) takes the endpoint as given.
    private static void Point(OtlpExporterOptions options, Uri endpoint) => options.Endpoint = endpoint;

    private static async Task<IReadOnlyList<WavePhase>> WavesOfAsync(IActorRef region, string rolloutId,
        CancellationToken cancellationToken)
    {
        var view = await region.Ask<RolloutView>(new GetRollout(rolloutId), TimeSpan.FromSeconds(5), cancellationToken)
            .ConfigureAwait(false);
        return [.. view.Waves.Select(w => w.Phase)];
    }
}
