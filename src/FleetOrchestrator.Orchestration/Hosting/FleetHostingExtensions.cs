using System.Data;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Hosting;
using Akka.Cluster.Hosting.SBR;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using Akka.Persistence.Sql.Config;
using Akka.Persistence.Sql.Hosting;
using Akka.Remote.Hosting;
using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.Persistence;
using FleetOrchestrator.Orchestration.ReadModel;
using FleetOrchestrator.Orchestration.ReadModel.Storage;
using FleetOrchestrator.Orchestration.Rollouts.Actors;
using FleetOrchestrator.Orchestration.Rollouts.Planning;
using FleetOrchestrator.Orchestration.Rollouts.Sharding;
using FleetOrchestrator.Orchestration.Sharding;
using FleetOrchestrator.Protocol.Ports;
using Microsoft.Extensions.DependencyInjection;
using SqlJournalOptions = Akka.Persistence.Sql.Hosting.SqlJournalOptions;
using SqlSnapshotOptions = Akka.Persistence.Sql.Hosting.SqlSnapshotOptions;

namespace FleetOrchestrator.Orchestration.Hosting;

/// <summary>
/// Akka.Hosting wiring of the orchestration layer. Typical host:
/// <code>
/// services.AddAkka("fleet", (akka, sp) => akka
///     .AddFleetCluster()                                        // single node joins itself
///     .AddFleetPersistence(FleetPersistenceOptions.Sqlite("data/fleet.db"))
///     .AddDeviceSagas(new DeviceSagaOptions())                  // IDeviceCommandSender from DI
///     .AddFleetReadModel());
/// // then: registry.Get&lt;DeviceRegion&gt;(), registry.Get&lt;FleetView&gt;()
/// </code>
/// The same settings exist as plain HOCON in hocon/ (<see cref="FleetHocon"/>).
/// </summary>
public static class FleetHostingExtensions
{
    /// <summary>The fleet serializer bindings (hocon/base.conf). Added by every other Add* method; idempotent.</summary>
    public static AkkaConfigurationBuilder AddFleetSerialization(this AkkaConfigurationBuilder builder) =>
        builder.AddHocon(FleetHocon.Base, HoconAddMode.Append);

    /// <summary>How long a start waits for the default plugins' tables (<see cref="DefaultPluginsFirst"/>).</summary>
    public static readonly TimeSpan SchemaWait = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Journal, snapshot store and read journal ("sql", the default) plus a second journal/snapshot plugin
    /// ("sharding") for the remember-entities store, on SQLite or PostgreSQL. SQLite: the file is switched to WAL now,
    /// and every connection gets synchronous=NORMAL and a busy timeout through a linq2db interceptor.
    /// </summary>
    public static AkkaConfigurationBuilder AddFleetPersistence(this AkkaConfigurationBuilder builder, FleetPersistenceOptions options)
    {
        FleetDataOptions.PrepareDatabase(options);
        var data = FleetDataOptions.Create(options);
        // SQLite: reads in deferred transactions (see hocon/persistence-sqlite.conf); PostgreSQL keeps the plugin default.
        IsolationLevel? reads = options.Database == FleetDatabase.Sqlite ? IsolationLevel.ReadUncommitted : null;
        var journal = new SqlJournalOptions(isDefaultPlugin: true, identifier: "sql")
        {
            ConnectionString = options.ConnectionString,
            ProviderName = options.ProviderName,
            DataOptions = data,
            AutoInitialize = true,
            TagStorageMode = TagMode.TagTable,
            QueryRefreshInterval = options.QueryRefreshInterval,
            ReadIsolationLevel = reads,
        };
        var snapshots = new SqlSnapshotOptions(isDefaultPlugin: true, identifier: "sql")
        {
            ConnectionString = options.ConnectionString, ProviderName = options.ProviderName, DataOptions = data, AutoInitialize = true,
            ReadIsolationLevel = reads,
        };
        var shardingJournal = new SqlJournalOptions(isDefaultPlugin: false, identifier: "sharding")
        {
            ConnectionString = options.ConnectionString, ProviderName = options.ProviderName, DataOptions = data, AutoInitialize = true,
            ReadIsolationLevel = reads,
        };
        var shardingSnapshots = new SqlSnapshotOptions(isDefaultPlugin: false, identifier: "sharding")
        {
            ConnectionString = options.ConnectionString, ProviderName = options.ProviderName, DataOptions = data, AutoInitialize = true,
            ReadIsolationLevel = reads,
        };
        var writer = WriterTuning(options);
        return builder
            .AddFleetSerialization()
            .WithSqlPersistence(journal, snapshots)
            .WithSqlPersistence(shardingJournal, shardingSnapshots)
            .AddHocon($$"""
                {{options.ReadJournalHocon()}}
                {{writer}}
                """, HoconAddMode.Prepend)
            // Before any shard region, which Akka.Hosting starts after this (starters run in the order added).
            .StartActors(async (system, _) => await DefaultPluginsFirst.InitializeAsync(system, SchemaWait));
    }

    /// <summary>
    /// The journal writer's tuning (inline tagged inserts; SQLite's one writer batching across devices; PostgreSQL's
    /// larger queue): the values, and why, are stated once, in the database's file in hocon/; the builder path takes
    /// them from there. Until it did for PostgreSQL too, `fleet serve` and `fleet simulate` ran PostgreSQL with the
    /// plugin's 5,000-event queue, which 15,000 devices coming online overflowed.
    /// </summary>
    private static string WriterTuning(FleetPersistenceOptions options)
    {
        var file = options.Database == FleetDatabase.Sqlite ? "persistence-sqlite" : "persistence-postgres";
        var sql = FleetHocon.Load(file).GetConfig("akka.persistence.journal.sql");
        var keys = new[]
        {
            "parallelism", "buffer-size", "batch-size", "tagtable-asqueryable-insert-mode",
            "circuit-breaker.call-timeout",
        };
        return string.Join('\n', keys.Where(sql.HasPath)
            .Select(key => $"akka.persistence.journal.sql.{key} = {sql.GetString(key)}"));
    }

    /// <summary>
    /// Remoting + cluster on loopback. Without seed nodes the node joins itself (one node, still sharded).
    /// </summary>
    public static AkkaConfigurationBuilder AddFleetCluster(this AkkaConfigurationBuilder builder, string hostname = "127.0.0.1", int port = 0,
        params string[] seedNodes) =>
        builder.AddFleetCluster(new FleetClusterOptions { Hostname = hostname, Port = port, SeedNodes = seedNodes });

    /// <summary>
    /// Remoting + cluster from <paramref name="options"/>: bind and public address, seed nodes, roles, the split-brain
    /// resolver. Without seed nodes the node joins itself. <paramref name="actorSystemName"/> (the one given to
    /// <c>AddAkka</c>) completes short seed addresses. Throws <see cref="FormatException"/> on a bad option.
    /// </summary>
    public static AkkaConfigurationBuilder AddFleetCluster(this AkkaConfigurationBuilder builder,
        FleetClusterOptions options, string actorSystemName = "fleet")
    {
        options.Validate(actorSystemName);
        var seeds = options.SeedAddresses(actorSystemName);
        builder
            .WithRemoting(new RemoteOptions
            {
                HostName = options.Hostname, Port = options.Port, PublicHostName = options.PublicHostname,
            })
            .WithClustering(new ClusterOptions
            {
                SeedNodes = seeds.Count > 0 ? seeds.ToArray() : null,
                Roles = options.Roles.Length > 0 ? options.Roles : null,
                SplitBrainResolver = options.SplitBrainResolver switch
                {
                    "keep-majority" => new KeepMajorityOption(),
                    "keep-oldest" => new KeepOldestOption { DownIfAlone = true },
                    _ => null,
                },
            })
            .AddHocon(ClusterTuning(options), HoconAddMode.Prepend);
        if (seeds.Count == 0)
            builder.AddStartup((system, _) => Cluster.Get(system).Join(Cluster.Get(system).SelfAddress));
        return builder;
    }

    private static string ClusterTuning(FleetClusterOptions options)
    {
        var lines = new List<string>
        {
            "akka.cluster.distributed-data.durable.keys = []",
            "akka.cluster.sharding.distributed-data.durable.keys = []",
            // A shard whose remember-entities write misses this deadline restarts and drops the messages it held
            // (device facts the broker already counts as delivered). Akka's 5 s was missed on a loaded 2-core machine.
            "akka.cluster.sharding.updating-state-timeout = 30s",
            // Replies cross nodes: a page of 1,000 rollout devices is about 200 KB, above remoting's 128 KB default,
            // and an oversized message is dropped (the asker sees a timeout). Plans of 100,000 devices are larger
            // still.
            "akka.remote.dot-netty.tcp.maximum-frame-size = 16777216b",
            $"akka.cluster.split-brain-resolver.stable-after = {(long)options.StableAfter.TotalMilliseconds}ms",
        };
        // Akka 1.5 turns the resolver on by default; "off" must say so explicitly.
        if (options.SplitBrainResolver == "off") lines.Add("akka.cluster.downing-provider-class = \"\"");
        return string.Join('\n', lines);
    }

    /// <summary>
    /// The device shard region (registry key <see cref="DeviceRegion"/>): ddata coordinator state, remember-entities on
    /// the eventsourced store of the "sharding" plugin (in-flight sagas restart with the orchestrator), no durable
    /// ddata keys. The transport's <see cref="IDeviceTrafficHandler"/> is
    /// <c>new ShardedDeviceTrafficHandler(registry.Get&lt;DeviceRegion&gt;(), system.EventStream)</c>.
    /// </summary>
    public static AkkaConfigurationBuilder AddDeviceSagas(this AkkaConfigurationBuilder builder, DeviceSagaOptions options) =>
        builder
            .AddFleetSerialization()
            .WithShardRegion<DeviceRegion>(DeviceRegion.TypeName,
                (system, _, resolver) =>
                {
                    var sender = options.CommandSender?.Invoke(system, resolver) ?? resolver.GetService<IDeviceCommandSender>()
                        ?? throw new InvalidOperationException("AddDeviceSagas: no IDeviceCommandSender (register one in DI or set DeviceSagaOptions.CommandSender)");
                    var granter = options.UrlGranter?.Invoke(system, resolver)
                                  ?? resolver.GetService<IDownloadUrlGranter>();
                    var settings = new DeviceActorSettings(sender, options.SnapshotEvery, options.PassivateIdleAfter,
                        options.OutcomeSubscriber?.Invoke(system), granter, options.UnheardAfter);
                    return deviceId => DeviceActor.PropsFor(deviceId, settings);
                },
                new DeviceMessageExtractor(options.MaxShards),
                new ShardOptions
                {
                    Role = options.ShardRole,
                    StateStoreMode = StateStoreMode.DData,
                    RememberEntities = true,
                    RememberEntitiesStore = RememberEntitiesStore.Eventsourced,
                    JournalPluginId = "akka.persistence.journal.sharding",
                    SnapshotPluginId = "akka.persistence.snapshot-store.sharding",
                });

    /// <summary>
    /// The rollout shard region (registry key <see cref="RolloutRegion"/>), beside the device region it commands
    /// (<see cref="AddDeviceSagas"/> must be added too): one persistent rollout actor per rollout id, remember-entities
    /// on the "sharding" plugin so a running rollout restarts with the orchestrator and re-arms its deadlines.
    /// </summary>
    public static AkkaConfigurationBuilder AddRollouts(this AkkaConfigurationBuilder builder,
        RolloutOptions? options = null)
    {
        var o = options ?? new RolloutOptions();
        return builder
            .AddFleetSerialization()
            .WithShardRegion<RolloutRegion>(RolloutRegion.TypeName,
                (_, registry, resolver) =>
                {
                    // Without a read store (some tests), devices join only by DevicesJoined.
                    var store = resolver.GetService<FleetReadStore>();
                    Func<CancellationToken, Task<IReadOnlyList<PlanCandidate>>>? candidates =
                        store is null ? null : store.PlanCandidatesAsync;
                    // Resolved per entity, after startup: the order of AddRollouts and AddDeviceSagas does not matter.
                    return rolloutId => RolloutActor.PropsFor(rolloutId,
                        new RolloutActorSettings(registry.Get<DeviceRegion>(), o.SnapshotEvery, o.ResendInterval,
                            candidates, o.JoinCheckInterval));
                },
                new RolloutMessageExtractor(o.MaxShards),
                new ShardOptions
                {
                    Role = o.ShardRole,
                    StateStoreMode = StateStoreMode.DData,
                    RememberEntities = true,
                    RememberEntitiesStore = RememberEntitiesStore.Eventsourced,
                    JournalPluginId = "akka.persistence.journal.sharding",
                    SnapshotPluginId = "akka.persistence.snapshot-store.sharding",
                });
    }

    /// <summary>
    /// The rollout feed router (registry key <see cref="RolloutFeedRouter"/>, a proxy): tells rollouts their sagas'
    /// outcomes from the saga feed, resuming from its offset in the <see cref="FleetReadStore"/> registered in DI. A
    /// cluster singleton: one router per cluster owns the offset. Add it after <see cref="AddRollouts"/> (it needs the
    /// rollout region).
    /// </summary>
    public static AkkaConfigurationBuilder AddRolloutFeedRouter(this AkkaConfigurationBuilder builder,
        RolloutFeedRouterOptions? options = null) =>
        builder.WithSingleton<RolloutFeedRouter>("rollout-feed-router", (_, registry, resolver) =>
        {
            var store = resolver.GetService<FleetReadStore>()
                ?? throw new InvalidOperationException(
                    "AddRolloutFeedRouter: no FleetReadStore in DI (register one for the database)");
            return RolloutFeedRouter.PropsFor(options ?? new RolloutFeedRouterOptions(), store,
                registry.Get<RolloutRegion>());
        }, SingletonOptions(), createProxyToo: true);

    /// <summary>
    /// The fleet read model (registry key <see cref="FleetView"/>, a proxy): projects the saga feed into the
    /// <see cref="FleetReadStore"/> registered in DI (<see cref="FleetReadStore"/> answers queries directly). A cluster
    /// singleton: one projector per cluster writes the rows and the offset.
    /// </summary>
    public static AkkaConfigurationBuilder AddFleetReadModel(this AkkaConfigurationBuilder builder, FleetViewOptions? options = null) =>
        builder.WithSingleton<FleetView>("fleet-view", (_, _, resolver) =>
        {
            var store = resolver.GetService<FleetReadStore>()
                ?? throw new InvalidOperationException("AddFleetReadModel: no FleetReadStore in DI (register one for the database)");
            return FleetView.PropsFor(options ?? new FleetViewOptions(), store);
        }, SingletonOptions(), createProxyToo: true);

    /// <summary>
    /// The rollout list (registry key <see cref="RolloutListView"/>, a proxy): projects the rollout events into the
    /// <c>rollouts</c> table of the <see cref="FleetReadStore"/> registered in DI. A cluster singleton, like
    /// <see cref="AddFleetReadModel"/>.
    /// </summary>
    public static AkkaConfigurationBuilder AddRolloutList(this AkkaConfigurationBuilder builder,
        FleetViewOptions? options = null) =>
        builder.WithSingleton<RolloutListView>("rollout-list", (_, _, resolver) =>
        {
            var store = resolver.GetService<FleetReadStore>()
                ?? throw new InvalidOperationException(
                    "AddRolloutList: no FleetReadStore in DI (register one for the database)");
            return RolloutListView.PropsFor(options ?? new FleetViewOptions(), store);
        }, SingletonOptions(), createProxyToo: true);

    /// <summary>
    /// The projectors' singleton options. The proxy's missing-singleton warning is off: Akka.NET logs it falsely on
    /// every start, in the millisecond the proxy begins to look (akkadotnet/akka.net#8568), and `fleet serve` and
    /// `fleet simulate` print warnings to the operator.
    /// </summary>
    private static ClusterSingletonOptions SingletonOptions() => new() { LogSingletonIdentificationFailure = false };
}
