using System.Collections.Concurrent;
using System.Diagnostics;
using FleetOrchestrator.Host.Telemetry;
using FleetOrchestrator.Host.Tests.Support;
using FleetOrchestrator.Orchestration.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace FleetOrchestrator.Host.Tests.Telemetry;

/// <summary>
/// Saga steps as spans: what a tracing backend receives (here an in-process listener on the same source), and the
/// OTLP exporter wired only when an endpoint is configured.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class SagaTraceTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Each_device_of_a_rollout_gets_its_steps_as_spans_in_one_trace_per_update_with_its_ids()
    {
        var spans = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == SagaTracing.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);
        await using var fleet = await TestOrchestrator.StartAsync();
        await using var devices = await SimulatedFleet.StartAsync(fleet,
            new Dictionary<string, Dictionary<string, string>> { ["t-1"] = [], ["t-2"] = [] }, Deadline);

        await MetricsScrapeTests.RunRolloutAsync(fleet, "traced");

        foreach (var device in new[] { "t-1", "t-2" })
        {
            var mine = spans.Where(s => (string?)s.GetTagItem("fleet.device.id") == device).ToList();
            Assert.Equal(["saga download", "saga health", "saga swap_to_boot", "saga update"],
                mine.Select(s => s.DisplayName).Order(StringComparer.Ordinal));
            Assert.All(mine, s => Assert.Equal("traced", s.GetTagItem("fleet.rollout.id")));
            var updateId = Assert.Single(mine.Select(s => (string)s.GetTagItem("fleet.update.id")!).Distinct());
            Assert.All(mine, s => Assert.Equal(SagaTracing.ContextOf(updateId).TraceId, s.TraceId));
            Assert.All(mine, s => Assert.True(s.Duration >= TimeSpan.Zero));
            var update = mine.Single(s => s.DisplayName == "saga update");
            Assert.Equal("Updated", update.GetTagItem("fleet.saga.outcome"));
            Assert.All(mine, s => Assert.True(s.StartTimeUtc >= update.StartTimeUtc, s.DisplayName));
        }
    }

    [Fact]
    public async Task Spans_are_exported_over_otlp_only_when_an_endpoint_is_configured()
    {
        await using (var plain = await TestOrchestrator.StartAsync(adjust: o =>
            o with { Telemetry = o.Telemetry with { OtlpEndpoint = null } }))
        {
            if (Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT") is null)
                Assert.Null(plain.Host.Services.GetService<TracerProvider>());
        }
        await using var traced = await TestOrchestrator.StartAsync(adjust: o =>
            o with { Telemetry = o.Telemetry with { OtlpEndpoint = new Uri("http://127.0.0.1:4317") } });
        Assert.NotNull(traced.Host.Services.GetService<TracerProvider>());
    }

    [Fact]
    public void The_otlp_endpoint_is_the_option_then_the_standard_variable_then_none()
    {
        var option = new TelemetryOptions { OtlpEndpoint = new Uri("http://collector:4317") };
        Assert.Equal(new Uri("http://collector:4317"), option.ResolveOtlpEndpoint(_ => "http://other:4317"));
        var none = new TelemetryOptions();
        Assert.Equal(new Uri("http://env:4318"), none.ResolveOtlpEndpoint(
            n => n == "OTEL_EXPORTER_OTLP_ENDPOINT" ? "http://env:4318" : null));
        Assert.Null(none.ResolveOtlpEndpoint(_ => null));
        Assert.Null(none.ResolveOtlpEndpoint(_ => "not a url"));
    }
}
