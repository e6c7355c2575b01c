using System.Diagnostics;
using System.Net.ServerSentEvents;
using System.Text.Json;
using FleetOrchestrator.Server.Dashboard;
using FleetOrchestrator.Server.Tests.Fakes;
using FleetOrchestrator.Server.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace FleetOrchestrator.Server.Tests.Dashboard;

/// <summary>
/// The dashboards' fan-out: many feed events become one update per tick, each changed rollout and the fleet's counts
/// are read once for all clients, and a client that stops reading is dropped instead of queueing without end.
/// </summary>
public sealed class DashboardHubTests(ITestOutputHelper output)
{
    private readonly FakeTimeProvider _time = new(ServerHost.Epoch);
    private readonly RecordingRollouts _rollouts = new();
    private readonly CountingDashboardReads _reads = new();

    private DashboardHub Hub(DashboardSettings? settings = null) =>
        new(_rollouts, _reads, _time, settings ?? DashboardSettings.Default);

    private static List<SseItem<string>> Drain(DashboardSubscription client)
    {
        var items = new List<SseItem<string>>();
        while (client.Events.TryRead(out var item)) items.Add(item);
        return items;
    }

    private static JsonElement Json(SseItem<string> item) => JsonDocument.Parse(item.Data).RootElement;

    [Fact]
    public async Task A_new_client_first_gets_hello_with_the_fleet_counts()
    {
        var hub = Hub();
        using var client = await hub.SubscribeAsync(CancellationToken.None);

        var hello = Assert.Single(Drain(client));

        Assert.Equal(DashboardHub.HelloEvent, hello.EventType);
        Assert.Equal(1, Json(hello).GetProperty("nextSeq").GetInt64());
        Assert.Equal(3, Json(hello).GetProperty("fleet").GetProperty("versions").GetProperty("1.0.0").GetInt32());
    }

    [Fact]
    public async Task Thousands_of_feed_events_between_ticks_become_one_update_with_each_rollout_read_once()
    {
        _rollouts.Known["r1"] = "Running";
        _rollouts.Known["r2"] = "Paused";
        var hub = Hub();
        var clients = new List<DashboardSubscription>();
        for (var i = 0; i < 20; i++) clients.Add(await hub.SubscribeAsync(CancellationToken.None));
        foreach (var c in clients) Drain(c);

        for (var i = 0; i < 5000; i++)
            hub.DeviceEventSeen($"dev-{i % 1000:D4}", i % 2 == 0 ? "r1" : null, i % 10 == 0 ? "Updated" : null);
        hub.DeviceEventSeen("dev-x", "r1", "Failed");
        for (var i = 0; i < 40; i++) hub.RolloutEventSeen(i % 2 == 0 ? "r1" : "r2");
        var update = await hub.FlushAsync(CancellationToken.None);

        Assert.NotNull(update);
        Assert.Equal(["r1", "r2"], update.Rollouts.Select(r => r.RolloutId).Order());
        Assert.Equal(2, _rollouts.DetailQueries.Count);
        Assert.Equal(500, update.Outcomes["Updated"]);
        Assert.Equal(1, update.Outcomes["Failed"]);
        Assert.Equal(5001, update.DeviceEvents);
        Assert.Equal(40, update.RolloutEvents);
        Assert.Equal(DashboardSettings.Default.MaxDevicesPerUpdate, update.Devices.Count);
        foreach (var c in clients)
        {
            var item = Assert.Single(Drain(c));
            Assert.Equal(DashboardHub.UpdateEvent, item.EventType);
            Assert.Equal(1, Json(item).GetProperty("seq").GetInt64());
            Assert.Equal(500, Json(item).GetProperty("outcomes").GetProperty("Updated").GetInt32());
        }
        foreach (var c in clients) c.Dispose();
    }

    [Fact]
    public async Task Nothing_new_sends_nothing_and_a_ping_only_after_the_heartbeat()
    {
        var hub = Hub();
        using var client = await hub.SubscribeAsync(CancellationToken.None);
        Drain(client);
        hub.RolloutEventSeen("gone");
        Assert.NotNull(await hub.FlushAsync(CancellationToken.None));
        Drain(client);

        _time.Advance(DashboardSettings.Default.Tick);
        Assert.Null(await hub.FlushAsync(CancellationToken.None));
        Assert.Empty(Drain(client));

        _time.Advance(DashboardSettings.Default.Heartbeat);
        Assert.Null(await hub.FlushAsync(CancellationToken.None));
        Assert.Equal(DashboardHub.PingEvent, Assert.Single(Drain(client)).EventType);
    }

    [Fact]
    public async Task The_fleet_counts_are_read_at_most_once_per_interval_and_once_more_after_devices_settle()
    {
        var hub = Hub();
        var clients = new List<DashboardSubscription>();
        for (var i = 0; i < 10; i++) clients.Add(await hub.SubscribeAsync(CancellationToken.None));
        Assert.Equal(1, _reads.Reads);

        _time.Advance(TimeSpan.FromSeconds(1));
        hub.DeviceEventSeen("dev-1", null, null);
        var first = await hub.FlushAsync(CancellationToken.None);
        Assert.NotNull(first?.Fleet);
        Assert.Equal(2, _reads.Reads);

        for (var tick = 0; tick < 3; tick++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(250));
            hub.DeviceEventSeen("dev-1", null, null);
            Assert.Null((await hub.FlushAsync(CancellationToken.None))?.Fleet);
        }
        Assert.Equal(2, _reads.Reads);

        _time.Advance(TimeSpan.FromMilliseconds(250));
        Assert.NotNull((await hub.FlushAsync(CancellationToken.None))?.Fleet);
        Assert.Equal(3, _reads.Reads);

        // Quiet devices: reads go on for the settle time after the last event (the read model trails the feed),
        // then stop.
        _time.Advance(TimeSpan.FromSeconds(1));
        await hub.FlushAsync(CancellationToken.None);
        Assert.Equal(4, _reads.Reads);
        for (var i = 0; i < 10; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await hub.FlushAsync(CancellationToken.None);
        }
        Assert.Equal(5, _reads.Reads);
        foreach (var c in clients) c.Dispose();
    }

    [Fact]
    public async Task A_client_that_stops_reading_is_dropped_after_its_backlog_and_the_others_go_on()
    {
        var hub = Hub(DashboardSettings.Default with { ClientBacklog = 4 });
        var stalled = await hub.SubscribeAsync(CancellationToken.None);
        using var reading = await hub.SubscribeAsync(CancellationToken.None);
        Drain(reading);

        for (var i = 0; i < 10; i++)
        {
            hub.RolloutEventSeen("r");
            await hub.FlushAsync(CancellationToken.None);
            Assert.Single(Drain(reading));
        }

        Assert.True(stalled.Overrun);
        Assert.Equal(1, hub.ClientCount);
        Assert.Equal(4, Drain(stalled).Count);
        Assert.True(stalled.Events.Completion.IsCompleted);
        stalled.Dispose();
        reading.Dispose();
        Assert.Equal(0, hub.ClientCount);
    }

    [Fact]
    public async Task Clients_coming_and_going_are_reported_so_the_feeds_run_only_while_someone_watches()
    {
        var hub = Hub(DashboardSettings.Default with { ClientBacklog = 2 });
        var counts = new List<int>();
        hub.OnClientsChanged(() => counts.Add(hub.ClientCount));

        var first = await hub.SubscribeAsync(CancellationToken.None);
        var second = await hub.SubscribeAsync(CancellationToken.None);
        first.Dispose();
        first.Dispose();
        hub.RolloutEventSeen("r");
        await hub.FlushAsync(CancellationToken.None);

        // The second client never reads: its queue (hello + one update) is full, so the next update drops it.
        hub.RolloutEventSeen("r");
        await hub.FlushAsync(CancellationToken.None);
        Assert.True(second.Overrun);
        Assert.Equal([1, 2, 1, 0], counts);
        second.Dispose();
        Assert.Equal([1, 2, 1, 0], counts);
    }

    [Fact]
    public async Task A_client_after_a_time_without_any_reads_the_fleet_counts_afresh()
    {
        var hub = Hub();
        using (await hub.SubscribeAsync(CancellationToken.None))
            Assert.Equal(1, _reads.Reads);
        _reads.Counts = _reads.Counts with { Total = 4 };

        using var later = await hub.SubscribeAsync(CancellationToken.None);

        Assert.Equal(2, _reads.Reads);
        var hello = Assert.Single(Drain(later));
        Assert.Equal(4, Json(hello).GetProperty("fleet").GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Measured_a_flush_of_a_busy_tick_to_100_clients_takes_milliseconds()
    {
        // 10,000 devices each taking a saga step within one tick (far more than a real tick carries) and 5 rollouts.
        foreach (var id in new[] { "a", "b", "c", "d", "e" }) _rollouts.Known[id] = "Running";
        var hub = Hub(DashboardSettings.Default with { ClientBacklog = 1000 });
        var clients = new List<DashboardSubscription>();
        for (var i = 0; i < 100; i++) clients.Add(await hub.SubscribeAsync(CancellationToken.None));
        var rollouts = new[] { "a", "b", "c", "d", "e" };

        var watch = Stopwatch.StartNew();
        const int Ticks = 20;
        for (var tick = 0; tick < Ticks; tick++)
        {
            for (var d = 0; d < 10_000; d++)
                hub.DeviceEventSeen($"dev-{d:D5}", rollouts[d % 5], d % 4 == 0 ? "Updated" : null);
            _time.Advance(DashboardSettings.Default.Tick);
            await hub.FlushAsync(CancellationToken.None);
        }
        watch.Stop();

        var perEvent = watch.Elapsed.TotalMicroseconds / (Ticks * 10_000);
        output.WriteLine($"{Ticks} ticks of 10,000 device events to 100 clients: {watch.ElapsedMilliseconds} ms, " +
            $"{perEvent:0.00} µs per event, {1_000_000 / perEvent:N0} events/s");
        Assert.All(clients, c => Assert.Equal(Ticks + 1, Drain(c).Count));
        Assert.Equal(Ticks * 5, _rollouts.DetailQueries.Count);
        // Generous for a shared 2-core machine: the figure in docs/dashboard.md is what this prints.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
        foreach (var c in clients) c.Dispose();
    }
}
