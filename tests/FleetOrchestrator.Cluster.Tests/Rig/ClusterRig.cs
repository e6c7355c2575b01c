using System.Text.RegularExpressions;
using FleetOrchestrator.Host.Tests.Cluster;
using FleetOrchestrator.Host.Tests.Support;
using FleetOrchestrator.Mqtt.Mosquitto;
using FleetOrchestrator.Orchestration.Tests.Persistence;

namespace FleetOrchestrator.Cluster.Tests.Rig;

/// <summary>
/// The production topology of docker/compose.yaml as processes on loopback: a PostgreSQL server (Debian's, as the
/// `postgres` user), a Mosquitto broker (Debian's, on its dynamic security plugin: any node provisions a device's
/// broker account) and three `fleet serve` nodes, each with its own data directory, all three named as seeds. The
/// split-brain resolver decides after <see cref="StableAfter"/> instead of Akka's 20 s
/// so a killed node is downed, and its shards move, within the test's time.
/// </summary>
public sealed partial class ClusterRig : IAsyncDisposable
{
    public const string ServiceUser = DynamicSecurityBroker.ServiceUser;
    public static readonly TimeSpan StableAfter = TimeSpan.FromSeconds(5);
    private readonly string _root = Directory.CreateTempSubdirectory("fleet-cluster-").FullName;
    private PostgresFixture? _postgres;
    private DynamicSecurityBroker? _broker;

    public IReadOnlyList<FleetNode> Nodes { get; private set; } = [];

    public LocalMosquitto Mosquitto =>
        _broker?.Mosquitto ?? throw new InvalidOperationException("the rig is not started");

    public string ServicePassword => DynamicSecurityBroker.ServicePassword;

    /// <summary>The admin key the first node printed.</summary>
    public string ApiKey { get; private set; } = "";

    public string Root => _root;

    public static async Task<ClusterRig> StartAsync(int nodeCount = 3)
    {
        var rig = new ClusterRig();
        try
        {
            await rig.StartInfrastructureAsync(nodeCount);
            return rig;
        }
        catch
        {
            await rig.DisposeAsync();
            throw;
        }
    }

    private async Task StartInfrastructureAsync(int nodeCount)
    {
        _postgres = new PostgresFixture();
        await _postgres.InitializeAsync();
        var pgPort = PortPattern().Match(_postgres.ConnectionString).Groups[1].Value;
        _broker = await DynamicSecurityBroker.StartAsync();

        var clusterPorts = Enumerable.Range(0, nodeCount).Select(_ => FreePort.Next()).ToList();
        var seeds = clusterPorts.SelectMany(p => new[] { "--seed-node", $"127.0.0.1:{p}" }).ToList();
        var environment = new Dictionary<string, string>
        {
            ["FLEET__CLUSTER__STABLEAFTER"] = StableAfter.ToString("c"),
            // Saga timing of a soak test, not of the field: seconds of health window, quick re-sends.
            ["FLEET__UPDATEPOLICY__HEALTHWINDOW"] = "00:00:02",
            ["FLEET__UPDATEPOLICY__RESENDINTERVAL"] = "00:00:05",
            ["FLEET__UPDATEPOLICY__RESENDINTERVALCAP"] = "00:00:30",
            ["FLEET__UPDATEPOLICY__BACKOFFBASE"] = "00:00:02",
        };
        Nodes = clusterPorts.Select((clusterPort, i) =>
        {
            var name = $"node{i + 1}";
            var data = Path.Combine(_root, name);
            var http = FreePort.Next();
            return new FleetNode(name, data,
            [
                "--urls", $"http://127.0.0.1:{http}", "--data-dir", data,
                "--store", $"postgres://postgres@127.0.0.1:{pgPort}/fleet",
                "--broker", $"mqtt://{ServiceUser}:{ServicePassword}@127.0.0.1:{_broker.Port}",
                "--mosquitto-dynsec", $"{DynamicSecurityBroker.AdminUser}:{DynamicSecurityBroker.AdminPassword}",
                "--cluster-host", "127.0.0.1", "--cluster-port", clusterPort.ToString(), .. seeds,
            ], environment, http, clusterPort);
        }).ToList();

        // The first seed forms the cluster; the others join it (all at once, as containers would start).
        await Nodes[0].StartAsync();
        var bootstrap = Nodes[0].PrintedOperatorKey
                        ?? throw new InvalidOperationException($"node1 printed no operator key\n{Nodes[0].Tail()}");
        // A key of its own, in the database every node reads: the bootstrap key is node1's first-start secret.
        ApiKey = await Nodes[0].MintKeyAsync(bootstrap, "cluster-test", "admin");
        await Task.WhenAll(Nodes.Skip(1).Select(n => n.StartAsync()));
    }

    /// <summary>Waits until <paramref name="observer"/> sees exactly <paramref name="expected"/> as Up
    /// members.</summary>
    public Task<ClusterView> WaitForMembersAsync(FleetNode observer, IEnumerable<FleetNode> expected,
        TimeSpan deadline, Func<ClusterView, bool>? andAlso = null)
    {
        var want = expected.Select(n => n.RemotingAddress).Order().ToList();
        return Poll.UntilAsync(() => observer.ClusterAsync(ApiKey), view =>
                view.Members.Where(m => m.Status == "up" && m.Reachable).Select(m => m.Address).Order()
                    .SequenceEqual(want)
                && view.Members.Count == want.Count && (andAlso?.Invoke(view) ?? true),
            deadline, $"{observer.Name} seeing exactly [{string.Join(", ", want)}] up");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes) await node.DisposeAsync();
        if (_broker is not null) await _broker.DisposeAsync();
        if (_postgres is not null) await _postgres.DisposeAsync();
        try { Directory.Delete(_root, recursive: true); }
        catch (IOException) { /* a node's last write races the delete: the temp folder is left behind */ }
    }

    [GeneratedRegex(@"Port=(\d+)")]
    private static partial Regex PortPattern();
}
