using Akka.Actor;
using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.Host.Orchestrator;
using FleetOrchestrator.Host.Tests.Support;
using FleetOrchestrator.Orchestration.Devices.Messages;
using FleetOrchestrator.Orchestration.Hosting;
using FleetOrchestrator.Orchestration.Persistence;
using FleetOrchestrator.Protocol.Messages;
using AkkaCluster = Akka.Cluster.Cluster;
using MemberStatus = Akka.Cluster.MemberStatus;

namespace FleetOrchestrator.Host.Tests.Cluster;

/// <summary>
/// Two orchestrators in one process on loopback, one database: they form one cluster through the first node's seed
/// address, each projector runs on exactly one of them (a cluster singleton), and a saga started through the second
/// node reaches the read model that the first node's projector writes.
/// </summary>
[Collection(ProcessEnvironmentCollection.Name)]
public sealed class TwoNodeClusterTests
{
    private static readonly TimeSpan Slow = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Two_nodes_form_one_cluster_with_one_projector_and_share_the_read_model()
    {
        var database = Path.Combine(Directory.CreateTempSubdirectory("fleet-two-nodes-").FullName, "fleet.db");
        var seedPort = FreePort.Next();
        var seed = $"127.0.0.1:{seedPort}";
        Func<OrchestratorOptions, OrchestratorOptions> Node(int port) => o => o with
        {
            Persistence = FleetPersistenceOptions.Sqlite(database),
            Cluster = new FleetClusterOptions { Port = port, SeedNodes = [seed] },
        };

        await using var first = await TestOrchestrator.StartAsync(adjust: Node(seedPort));
        await using var second = await TestOrchestrator.StartAsync(adjust: Node(0));
        var systems = new[] { first.Host.System, second.Host.System };

        foreach (var system in systems)
            await Poll.UntilAsync(() => Task.FromResult(AkkaCluster.Get(system).State.Members
                    .Count(m => m.Status == MemberStatus.Up)), n => n == 2, Slow,
                $"{system.Name}@{AkkaCluster.Get(system).SelfAddress.Port} seeing two members up");

        foreach (var singleton in new[] { "fleet-view", "rollout-list", "rollout-feed-router" })
        {
            // The oldest node (the seed, up first) runs it; the other has only the manager and the proxy.
            var running = await Poll.UntilAsync(() => RunningOnAsync(systems, singleton), n => n.Count == 1, Slow,
                $"exactly one {singleton}");
            Assert.Equal([first.Host.System], running);
        }

        var deviceId = "dev-cluster-2";
        var reply = await second.Host.DeviceRegion.Ask<SagaRequestReply>(
            new StartUpdate(deviceId, "u-cluster", Target(), UpdatePolicy.Default), Slow);
        Assert.True(reply.Accepted, reply.Reason);
        var row = await Poll.UntilAsync(() => second.Host.Fleet.GetAsync(deviceId), r => r is not null, Slow,
            "the saga started through node 2 in the read model");
        Assert.Equal("u-cluster", row!.UpdateId);
    }

    private static async Task<List<ActorSystem>> RunningOnAsync(IEnumerable<ActorSystem> systems, string singleton)
    {
        var running = new List<ActorSystem>();
        foreach (var system in systems)
        {
            var identity = await system.ActorSelection($"/user/{singleton}/{singleton}")
                .Ask<ActorIdentity>(new Identify(singleton), TimeSpan.FromSeconds(5));
            if (identity.Subject is not null) running.Add(system);
        }
        return running;
    }

    private static UpdateTarget Target() => new(
        "fw-1.1.0", new SemanticVersion(1, 1, 0), new SignedManifestDto("bWFuaWZlc3Q=", "c2ln", "key-1"),
        "https://artifacts.example/fw-1.1.0.bin", 90_000, 0xC0FFEE01, "stm32l072cz", new SemanticVersion(1, 0, 0),
        AllowDowngrade: false);
}
