using Akka.Actor;
using Akka.Cluster.SBR;
using FleetOrchestrator.Host.Orchestrator;
using FleetOrchestrator.Host.Tests.Support;
using FleetOrchestrator.Orchestration.Hosting;
using AkkaCluster = Akka.Cluster.Cluster;

namespace FleetOrchestrator.Host.Tests.Cluster;

/// <summary>
/// The cluster settings reach the running actor system, whichever way they were given: options in code, an appsettings
/// file, environment variables over the file. Each test starts the real composition and reads what Akka runs with.
/// </summary>
[Collection(ProcessEnvironmentCollection.Name)]
public sealed class ClusterConfigurationTests
{
    private static readonly TimeSpan Slow = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Options_reach_the_actor_system()
    {
        var port = FreePort.Next();
        var cluster = new FleetClusterOptions
        {
            Hostname = "0.0.0.0",
            Port = port,
            PublicHostname = "127.0.0.1",
            SeedNodes = [$"127.0.0.1:{port}"],
            Roles = ["api", "worker"],
            ShardRole = "worker",
            StableAfter = TimeSpan.FromSeconds(7),
        };
        await using var orchestrator = await TestOrchestrator.StartAsync(adjust: o => o with { Cluster = cluster });
        var system = orchestrator.Host.System;
        var settings = AkkaCluster.Get(system).Settings;

        Assert.Equal([Address.Parse($"akka.tcp://fleet@127.0.0.1:{port}")], settings.SeedNodes);
        Assert.Contains("api", settings.Roles);
        Assert.Contains("worker", settings.Roles);
        Assert.Equal(typeof(SplitBrainResolverProvider), settings.DowningProviderType);
        var sbr = system.Settings.Config.GetConfig("akka.cluster.split-brain-resolver");
        Assert.Equal("keep-majority", sbr.GetString("active-strategy"));
        Assert.Equal(TimeSpan.FromSeconds(7), sbr.GetTimeSpan("stable-after"));
        // Bound on every interface, reached at the public host name.
        var self = AkkaCluster.Get(system).SelfAddress;
        Assert.Equal(("127.0.0.1", port), (self.Host, self.Port));
        Assert.Equal("0.0.0.0", system.Settings.Config.GetString("akka.remote.dot-netty.tcp.hostname"));
        // The node joined through its seed (itself) and is a working member.
        await Poll.UntilAsync(() => Task.FromResult(AkkaCluster.Get(system).SelfMember.Status),
            s => s == Akka.Cluster.MemberStatus.Up, Slow, "the seed node coming up");
    }

    [Fact]
    public async Task Without_seeds_one_node_joins_itself_as_today()
    {
        await using var orchestrator = await TestOrchestrator.StartAsync();
        var system = orchestrator.Host.System;
        Assert.Empty(AkkaCluster.Get(system).Settings.SeedNodes);
        Assert.Equal(typeof(SplitBrainResolverProvider), AkkaCluster.Get(system).Settings.DowningProviderType);
        await Poll.UntilAsync(() => Task.FromResult(AkkaCluster.Get(system).SelfMember.Status),
            s => s == Akka.Cluster.MemberStatus.Up, Slow, "the self-joined node coming up");
    }

    [Fact]
    public async Task The_split_brain_resolver_can_be_turned_off()
    {
        await using var orchestrator = await TestOrchestrator.StartAsync(adjust: o => o with
        {
            Cluster = new FleetClusterOptions { SplitBrainResolver = "off" },
        });
        Assert.Equal(typeof(Akka.Cluster.NoDowning),
            AkkaCluster.Get(orchestrator.Host.System).Settings.DowningProviderType);
    }

    [Fact]
    public async Task Environment_variables_win_over_the_appsettings_file_and_reach_the_actor_system()
    {
        var filePort = FreePort.Next();
        var envPort = FreePort.Next();
        var file = Path.Combine(Directory.CreateTempSubdirectory("fleet-cluster-config-").FullName, "appsettings.json");
        await File.WriteAllTextAsync(file, $$"""
            {
              "Fleet": {
                "Cluster": {
                  "Port": {{filePort}},
                  "SeedNodes": [ "127.0.0.1:{{filePort}}" ],
                  "Roles": [ "from-file" ],
                  "SplitBrainResolver": "keep-majority",
                  "StableAfter": "00:00:11"
                }
              }
            }
            """);
        var environment = new Dictionary<string, string>
        {
            ["FLEET__CLUSTER__PORT"] = envPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["FLEET__CLUSTER__SEEDNODES__0"] = $"127.0.0.1:{envPort}",
            ["FLEET__CLUSTER__SPLITBRAINRESOLVER"] = "keep-oldest",
        };
        ServeSettings settings;
        try
        {
            foreach (var (name, value) in environment) Environment.SetEnvironmentVariable(name, value);
            settings = ServeSettings.Load(file);
        }
        finally
        {
            foreach (var name in environment.Keys) Environment.SetEnvironmentVariable(name, null);
        }
        var cluster = settings.ToOrchestratorOptions().Cluster;

        await using var orchestrator = await TestOrchestrator.StartAsync(adjust: o => o with { Cluster = cluster });
        var system = orchestrator.Host.System;
        var running = AkkaCluster.Get(system).Settings;
        Assert.Equal([Address.Parse($"akka.tcp://fleet@127.0.0.1:{envPort}")], running.SeedNodes);
        Assert.Equal(envPort, AkkaCluster.Get(system).SelfAddress.Port);
        Assert.Contains("from-file", running.Roles);
        var sbr = system.Settings.Config.GetConfig("akka.cluster.split-brain-resolver");
        Assert.Equal("keep-oldest", sbr.GetString("active-strategy"));
        Assert.Equal(TimeSpan.FromSeconds(11), sbr.GetTimeSpan("stable-after"));
    }

    [Fact]
    public void The_shipped_cluster_example_binds_and_names_three_seeds()
    {
        var path = Path.Combine(RepositoryRoot(), "config", "appsettings.cluster.json");
        var settings = ServeSettings.Load(path);
        var options = settings.ToOrchestratorOptions();
        Assert.Equal(3, options.Cluster.SeedAddresses(options.ActorSystemName).Count);
        Assert.Equal("keep-majority", options.Cluster.SplitBrainResolver);
        Assert.StartsWith("postgres://", settings.Store);
    }

    [Theory]
    [InlineData("seed node 'nohost'", "nohost", "keep-majority", 0)]
    [InlineData("actor system 'other'", "akka.tcp://other@10.0.0.1:4053", "keep-majority", 0)]
    [InlineData("split-brain resolver 'keep-everything'", "10.0.0.1:4053", "keep-everything", 0)]
    [InlineData("cluster port", "10.0.0.1:4053", "keep-majority", 70000)]
    public void Bad_cluster_settings_are_refused_naming_the_setting(string expected, string seed, string sbr, int port)
    {
        var settings = new ServeSettings
        {
            Cluster = new FleetClusterOptions { SeedNodes = [seed], SplitBrainResolver = sbr, Port = port },
        };
        var error = Assert.Throws<FormatException>(() => settings.ToOrchestratorOptions());
        Assert.Contains(expected, error.Message);
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "FleetOrchestrator.sln")))
            directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("repository root not found");
    }
}
