using System.Net;
using System.Text.Json;
using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.Host.Tests.Support;
using FleetOrchestrator.L072.Images;
using MQTTnet;

namespace FleetOrchestrator.Host.Tests.Telemetry;

/// <summary>
/// <c>/metrics</c> on a real orchestrator while simulated devices run a staged rollout: the counters move by what the
/// rollout did and the gauges read the read model. Alone in its collection: the counters are process-wide, and the
/// gauges of another test's orchestrator in this process would share their names.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class MetricsScrapeTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    private static readonly Dictionary<string, Dictionary<string, string>> ThreeDevices = new()
    {
        ["m-1"] = new() { ["cell"] = "c1" }, ["m-2"] = new() { ["cell"] = "c2" }, ["m-3"] = new() { ["cell"] = "c3" },
    };

    public static async Task<PrometheusText> ScrapeAsync(HttpClient http)
    {
        using var response = await http.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);
        return PrometheusText.Parse(text);
    }

    public static async Task<string> RunRolloutAsync(TestOrchestrator fleet, string id)
    {
        var upload = await fleet.Operator.UploadAsync(SyntheticImage.Create(new SemanticVersion(1, 1, 0)), "1.1.0");
        Assert.Equal(HttpStatusCode.Created, upload.Status);
        var artifactId = upload.Body.GetProperty("artifact").GetProperty("id").GetString()!;
        var policy = JsonSerializer.Deserialize<JsonElement>("""
            {
              "name": "metrics", "target": { "versions": ["1.0.0"] },
              "waves": [ { "name": "canary", "devices": 1 }, { "name": "rest", "percent": 100 } ],
              "gate": { "minSample": 1, "successAtLeast": 1.0, "failuresAtMost": 0, "soak": "00:00:00" }
            }
            """);
        var started = await fleet.Operator.PostJsonAsync("/api/rollouts", new { id, artifactId, policy });
        Assert.Equal(HttpStatusCode.Created, started.Status);
        await Poll.UntilAsync(() => fleet.Operator.GetJsonAsync($"/api/rollouts/{id}"),
            a => a.Body.GetProperty("status").GetString() == "Completed", Deadline, $"rollout {id} completing");
        return artifactId;
    }

    [Fact]
    public async Task A_rollout_moves_the_saga_rollout_broker_download_and_journal_counters_and_the_gauges_follow()
    {
        await using var fleet = await TestOrchestrator.StartAsync();
        await using var devices = await SimulatedFleet.StartAsync(fleet, ThreeDevices, Deadline);
        var before = await ScrapeAsync(fleet.Operator);

        await RunRolloutAsync(fleet, "metrics-rollout");
        // The read model follows the journal: wait until it shows every device updated and the rollout finished.
        var after = await Poll.UntilAsync(() => ScrapeAsync(fleet.Operator),
            m => m.Value("fleet_devices_running_version", ("version", "1.1.0")) == 3
                && m.Value("fleet_rollouts", ("status", "Completed")) == 1, Deadline,
            "the gauges showing three devices on 1.1.0 and the rollout completed");

        double Moved(string name, params (string, string)[] labels) =>
            after.Value(name, labels) - before.Value(name, labels);
        Assert.True(Moved("fleet_saga_outcomes_total", ("outcome", "Updated")) >= 3);
        foreach (var step in new[] { "download", "swap_to_boot", "health", "update" })
        {
            Assert.True(Moved("fleet_saga_step_duration_seconds_count", ("step", step)) >= 3, step);
            Assert.True(Moved("fleet_saga_step_duration_seconds_sum", ("step", step)) > 0, step);
        }
        Assert.True(Moved("fleet_journal_events_written_total", ("kind", "device")) >= 3 * 5);
        Assert.True(Moved("fleet_journal_events_written_total", ("kind", "rollout")) >= 4);
        // Every device batch persisted is timed: at least one per device per journaled saga step.
        Assert.True(Moved("fleet_journal_write_duration_seconds_count", ("kind", "device")) >= 3 * 5);
        Assert.True(Moved("fleet_journal_write_duration_seconds_sum", ("kind", "device")) > 0);
        Assert.True(Moved("fleet_rollout_gate_decisions_total", ("decision", "pass")) >= 2);
        Assert.True(Moved("fleet_mqtt_messages_received_total") >= 3 * 4);
        Assert.True(Moved("fleet_mqtt_commands_sent_total") >= 3 * 4);
        Assert.True(Moved("fleet_downloads_total") >= 3);
        var imageBytes = SyntheticImage.Create(new SemanticVersion(1, 1, 0)).Length;
        Assert.True(Moved("fleet_download_bytes_total") >= 3 * imageBytes);
        Assert.True(after.Value("fleet_mqtt_connections") >= 3);
        Assert.Equal(3, after.Value("fleet_sagas", ("phase", "Completed")));
        Assert.Equal(0, after.Value("fleet_sagas", ("phase", "Downloading")));
        Assert.Equal(3, after.Value("fleet_devices_last_outcome", ("outcome", "Updated")));
        Assert.Equal(1, after.Value("fleet_rollouts", ("status", "Completed")));
        Assert.Equal(0, after.Value("fleet_rollouts", ("status", "Running")));
    }

    [Fact]
    public async Task Every_metric_the_grafana_dashboard_queries_is_one_the_server_exports()
    {
        var queries = GrafanaDashboard.Queries(Path.Combine(RepoRoot(), "config", "grafana", "fleet-dashboard.json"));
        await using var fleet = await TestOrchestrator.StartAsync();
        await using var devices = await SimulatedFleet.StartAsync(fleet, ThreeDevices, Deadline);
        await RunRolloutAsync(fleet, "dashboard-rollout");
        // A refused login, so the rejection counter has a sample to find.
        var (brokerHost, brokerPort) = fleet.Host.BrokerEndpoint;
        using (var intruder = new MqttClientFactory().CreateMqttClient())
        {
            var refused = await intruder.ConnectAsync(new MqttClientOptionsBuilder()
                .WithTcpServer(brokerHost, brokerPort).WithClientId("nobody").WithCredentials("nobody", "guess")
                .Build());
            Assert.NotEqual(MqttClientConnectResultCode.Success, refused.ResultCode);
        }

        var exported = (await Poll.UntilAsync(() => ScrapeAsync(fleet.Operator),
            m => m.Value("fleet_rollouts", ("status", "Completed")) == 1, Deadline, "the rollout in the gauges")).Names;

        Assert.True(queries.Count >= 10, $"{queries.Count} queries");
        foreach (var query in queries)
        {
            var names = GrafanaDashboard.MetricNames(query);
            Assert.True(names.Count > 0, $"'{query}' names no fleet_, http_server_ or dotnet_ metric");
            foreach (var name in names)
                Assert.True(exported.Contains(name), $"'{query}' reads {name}, which /metrics does not export");
        }
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "FleetOrchestrator.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("no FleetOrchestrator.sln above the test binaries");
    }

    [Fact]
    public async Task The_scrape_needs_the_operator_key_unless_configured_open()
    {
        await using (var fleet = await TestOrchestrator.StartAsync())
        {
            using var refused = await fleet.Anonymous.GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            await ScrapeAsync(fleet.Operator);
        }
        await using (var open = await TestOrchestrator.StartAsync(adjust: o =>
            o with { Telemetry = o.Telemetry with { MetricsRequireKey = false } }))
        {
            var scrape = await ScrapeAsync(open.Anonymous);
            Assert.Contains("fleet_rollouts", scrape.Names);
        }
    }
}
