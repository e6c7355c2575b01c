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
/// node reaches the read model that the first node's projector writes. Run on SQLite and on PostgreSQL.
/// </summary>
public abstract class TwoNodeClusterContract
{
    private static readonly TimeSpan Slow = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The database both nodes share; a fresh one per call is not needed (device ids differ per test).
    /// </summary>
    protected abstract FleetPersistenceOptions Persistence { get; }

    [Fact]
    public async Task Two_nodes_form_one_cluster_with_one_projector_and_share_the_read_model()
    {
        var seedPort = FreePort.Next();
        await using var first = await StartNodeAsync(seedPort, seedPort, new FleetClusterOptions());
        await using var second = await StartNodeAsync(0, seedPort, new FleetClusterOptions());
        var systems = new[] { first.Host.System, second.Host.System };
        await AwaitTwoMembersUpAsync(systems);

        foreach (var singleton in new[] { "fleet-view", "rollout-list", "rollout-feed-router" })
        {
            // The oldest node (the seed, up first) runs it; the other has only the manager and the proxy.
            var running = await Poll.UntilAsync(() => RunningOnAsync(systems, $"/user/{singleton}/{singleton}"),
                n => n.Count == 1, Slow, $"exactly one {singleton}");
            Assert.Equal([first.Host.System], running);
        }

        const string deviceId = "dev-cluster-2";
        var reply = await second.Host.DeviceRegion.Ask<SagaRequestReply>(
            new StartUpdate(deviceId, "u-cluster", Target(), UpdatePolicy.Default), Slow);
        Assert.True(reply.Accepted, reply.Reason);
        var row = await Poll.UntilAsync(() => second.Host.Fleet.GetAsync(deviceId), r => r is not null, Slow,
            "the saga started through node 2 in the read model");
        Assert.Equal("u-cluster", row!.UpdateId);
    }

    [Fact]
    public async Task Only_nodes_with_the_shard_role_host_sagas_the_others_reach_them_through_a_proxy()
    {
        var seedPort = FreePort.Next();
        await using var worker = await StartNodeAsync(seedPort, seedPort,
            new FleetClusterOptions { Roles = ["worker"], ShardRole = "worker" });
        await using var api = await StartNodeAsync(0, seedPort, new FleetClusterOptions { ShardRole = "worker" });
        var systems = new[] { worker.Host.System, api.Host.System };
        await AwaitTwoMembersUpAsync(systems);

        // Several devices, so that without the role the coordinator (fewest shards first) would use both nodes.
        var devices = Enumerable.Range(1, 10).Select(i => $"dev-cluster-role-{i}").ToList();
        foreach (var deviceId in devices)
        {
            var reply = await api.Host.DeviceRegion.Ask<SagaRequestReply>(
                new StartUpdate(deviceId, "u-role", Target(), UpdatePolicy.Default), Slow);
            Assert.True(reply.Accepted, reply.Reason);
        }
        // An entity lives under the sharding guardian of the node that hosts its shard.
        foreach (var deviceId in devices)
            Assert.Equal([worker.Host.System], await RunningOnAsync(systems, $"/system/sharding/device/*/{deviceId}"));
    }

    private async Task<TestOrchestrator> StartNodeAsync(int port, int seedPort, FleetClusterOptions cluster) =>
        await TestOrchestrator.StartAsync(adjust: o => o with
        {
            Persistence = Persistence,
            Cluster = cluster with { Port = port, SeedNodes = [$"127.0.0.1:{seedPort}"] },
        });

    private static async Task AwaitTwoMembersUpAsync(IEnumerable<ActorSystem> systems)
    {
        foreach (var system in systems)
            await Poll.UntilAsync(() => Task.FromResult(AkkaCluster.Get(system).State.Members
                    .Count(m => m.Status == MemberStatus.Up)), n => n == 2, Slow,
                $"{system.Name}@{AkkaCluster.Get(system).SelfAddress.Port} seeing two members up");
    }

    private static async Task<List<ActorSystem>> RunningOnAsync(IEnumerable<ActorSystem> systems, string path)
    {
        var running = new List<ActorSystem>();
        foreach (var system in systems)
        {
            var identity = await system.ActorSelection(path)
                .Ask<ActorIdentity>(new Identify(path), TimeSpan.FromSeconds(5));
            if (identity.Subject is not null) running.Add(system);
        }
        return running;
    }

    private static UpdateTarget Target() => new(
        "fw-1.1.0", new SemanticVersion(1, 1, 0), new SignedManifestDto("bWFuaWZlc3Q=", "c2ln", "key-1"),
        "https://artifacts.example/fw-1.1.0.bin", 90_000, 0xC0FFEE01, "stm32l072cz", new SemanticVersion(1, 0, 0),
        AllowDowngrade: false);
}
