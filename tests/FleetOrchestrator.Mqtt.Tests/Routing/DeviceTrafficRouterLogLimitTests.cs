using System.Buffers;
using System.Collections.Concurrent;
using FleetOrchestrator.Mqtt.Routing;
using FleetOrchestrator.Mqtt.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace FleetOrchestrator.Mqtt.Tests.Routing;

/// <summary>A device sending garbage in a loop cannot flood the log; every rejection still reaches the
/// handler.</summary>
public sealed class DeviceTrafficRouterLogLimitTests
{
    [Fact]
    public void Six_hundred_rejections_from_one_device_log_a_burst_then_one_line_per_refill_with_the_count_held_back()
    {
        var time = new FakeTimeProvider();
        var log = new ListLogger();
        var traffic = new RecordingTrafficHandler();
        var router = new DeviceTrafficRouter(traffic, log, time);
        var garbage = new ReadOnlySequence<byte>("not json"u8.ToArray());

        for (int i = 0; i < 600; i++) router.Route("fleet/v1/devices/dev-a/evt", "dev-a", garbage);

        Assert.Equal(600, traffic.Seen.Count(t => t is RejectedTraffic));
        Assert.Equal(DeviceTrafficRouter.LogBurst, log.Warnings.Count);

        time.Advance(DeviceTrafficRouter.LogRefill);
        router.Route("fleet/v1/devices/dev-a/evt", "dev-a", garbage);
        Assert.Equal(DeviceTrafficRouter.LogBurst + 1, log.Warnings.Count);
        Assert.Contains($"{600 - DeviceTrafficRouter.LogBurst} more from it not logged", log.Warnings[^1]);

        // Another device has its own budget.
        router.Route("fleet/v1/devices/dev-b/evt", "dev-b", garbage);
        Assert.Contains("dev-b", log.Warnings[^1]);
    }

    private sealed class ListLogger : ILogger
    {
        private readonly ConcurrentQueue<string> _warnings = new();

        public IReadOnlyList<string> Warnings => [.. _warnings];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState,
            Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Warning) _warnings.Enqueue(formatter(state, exception));
        }
    }
}
