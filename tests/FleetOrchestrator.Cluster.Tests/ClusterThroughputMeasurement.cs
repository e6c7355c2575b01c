using FleetOrchestrator.Cluster.Tests.Rig;
using Xunit.Abstractions;

namespace FleetOrchestrator.Cluster.Tests;

/// <summary>
/// Sagas per second of one rollout on a three-node cluster against a single node, on the same machine, PostgreSQL and
/// Mosquitto, and the same simulator process (`fleet devices simulate --no-delays`). Prints the figures; asserts only
/// that both rollouts complete. FLEET_CLUSTER_MEASURE_DEVICES sets the fleet (default 2,000).
/// </summary>
[Trait("Category", "Cluster")]
public sealed class ClusterThroughputMeasurement(ITestOutputHelper output)
{
    [ClusterMeasurementFact]
    public async Task Sagas_per_second_of_three_nodes_against_one()
    {
        var devices = int.TryParse(Environment.GetEnvironmentVariable("FLEET_CLUSTER_MEASURE_DEVICES"), out var n)
            ? n : 2000;
        foreach (var nodes in new[] { 1, 3, 1, 3 })
        {
            await using var rig = await ClusterRig.StartAsync(nodes);
            var scenario = new FleetScenario(rig, rig.Nodes[0]);
            var artifact = await scenario.UploadTargetAsync();
            await using var simulator = await scenario.AttachDevicesAsync(devices, "m-", "--link", "instant",
                "--no-delays");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            await scenario.StartRolloutAsync("measure", artifact,
                [new { name = "canary", devices = 20 }, new { percent = 100 }], maxInFlight: 1000);
            var done = await scenario.WaitForEndAsync("measure");
            clock.Stop();
            Assert.Equal("Completed", done.GetProperty("status").GetString());
            output.WriteLine($"{nodes} node(s), {devices} devices: rollout {clock.Elapsed.TotalSeconds:0.0} s, "
                             + $"{devices / clock.Elapsed.TotalSeconds:0.0} sagas/s");
        }
    }
}
