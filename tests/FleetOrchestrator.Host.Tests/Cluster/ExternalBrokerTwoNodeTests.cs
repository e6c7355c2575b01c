using System.Net;
using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.Host.Orchestrator;
using FleetOrchestrator.Host.Tests.Support;
using FleetOrchestrator.Orchestration.Hosting;
using FleetOrchestrator.Orchestration.Persistence;
using FleetOrchestrator.Protocol.Messages;
using FleetOrchestrator.Simulation.Links.DeviceMqtt;
using AkkaCluster = Akka.Cluster.Cluster;
using MemberStatus = Akka.Cluster.MemberStatus;

namespace FleetOrchestrator.Host.Tests.Cluster;

/// <summary>
/// Two full orchestrator nodes, one cluster, one Mosquitto on its dynamic security plugin: a device provisioned
/// through one node reaches the cluster through whichever node's share of the subscription gets its traffic, and when
/// that node leaves, the other takes all of it; the device notices nothing.
/// </summary>
[Collection(ProcessEnvironmentCollection.Name)]
public sealed class ExternalBrokerTwoNodeTests
{
    private static readonly TimeSpan Slow = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Device_traffic_reaches_the_cluster_through_either_node_and_through_the_one_left_after_the_other_leaves()
    {
        await using var broker = await DynamicSecurityBroker.StartAsync();
        var persistence = FleetPersistenceOptions.Sqlite(
            Path.Combine(Directory.CreateTempSubdirectory("fleet-broker-two-nodes-").FullName, "fleet.db"));
        var seedPort = FreePort.Next();
        var first = await StartNodeAsync(broker, persistence, "node-one", seedPort, seedPort);
        await using var second = await StartNodeAsync(broker, persistence, "node-two", 0, seedPort);
        var firstStopped = false;
        try
        {
            foreach (var node in new[] { first, second })
                await Poll.UntilAsync(() => Task.FromResult(AkkaCluster.Get(node.Host.System).State.Members
                    .Count(m => m.Status == MemberStatus.Up)), n => n == 2, Slow, "two members up");

            var registered = await first.Operator.RegisterAsync("dyn-two-1");
            Assert.Equal(HttpStatusCode.Created, registered.Status);
            await using var device = new DeviceMqttConnection(new DeviceConnectionOptions("127.0.0.1", broker.Port,
                "dyn-two-1", registered.Body.GetProperty("secret").GetString()!), _ => Task.CompletedTask);
            Assert.True((await device.ConnectAsync()).IsConnected);

            // Several reports: the broker hands them round robin to both nodes' sessions, and all reach the one saga.
            for (int seq = 1; seq <= 6; seq++) await device.PublishStateAsync(Reported(seq, new SemanticVersion(1, 0, 0)));
            await Poll.UntilAsync(() => second.Host.Fleet.GetAsync("dyn-two-1"),
                r => r?.RunningVersion == new SemanticVersion(1, 0, 0), Slow, "the device's report in the read model");

            firstStopped = true;
            await first.DisposeAsync();
            for (int seq = 7; seq <= 12; seq++) await device.PublishStateAsync(Reported(seq, new SemanticVersion(1, 0, seq)));

            await Poll.UntilAsync(() => second.Host.Fleet.GetAsync("dyn-two-1"),
                r => r?.RunningVersion == new SemanticVersion(1, 0, 12), Slow,
                "the last report, consumed by the node that stayed, in the read model");
        }
        finally
        {
            if (!firstStopped) await first.DisposeAsync();
        }
    }

    private static StateReported Reported(long sequence, SemanticVersion version) => new(null, sequence, new(
        version, BankId.Bank1, Bfb2: false, ImageState.Committed, ResetCause.PowerOn,
        new HardwareInfo("stm32l072cz", 192, "4.1", "Z", 0, new SemanticVersion(1, 0, 0)), 0x1234_5678u, null));

    private static Task<TestOrchestrator> StartNodeAsync(DynamicSecurityBroker broker,
        FleetPersistenceOptions persistence, string node, int port, int seedPort) =>
        TestOrchestrator.StartAsync(adjust: o => broker.Node(o, node) with
        {
            Persistence = persistence,
            Cluster = new FleetClusterOptions { Port = port, SeedNodes = [$"127.0.0.1:{seedPort}"] },
        });
}
