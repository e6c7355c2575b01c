using Akka.Actor;

namespace FleetOrchestrator.Orchestration.Hosting;

/// <summary>
/// Options of <c>AddFleetCluster</c>: where this node's remoting listens and is reached, which nodes it joins, its
/// roles and how a partition is resolved. The defaults are one node on loopback that joins itself. Bound from the
/// <c>Fleet:Cluster</c> configuration section (appsettings, <c>FLEET__CLUSTER__...</c> environment variables) by
/// <c>fleet serve</c>; the precedence is stated once, in docs/serve.md ("Cluster").
/// </summary>
public sealed record FleetClusterOptions
{
    public const string SectionName = "Fleet:Cluster";

    /// <summary>The split-brain resolver strategies this option accepts (Akka's names).</summary>
    public static readonly IReadOnlyList<string> Strategies = ["keep-majority", "keep-oldest", "off"];

    /// <summary>Address remoting binds to (0.0.0.0 for every interface).</summary>
    public string Hostname { get; init; } = "127.0.0.1";

    /// <summary>Remoting port; 0 picks a free one (only sensible for a node that nobody names as a seed).</summary>
    public int Port { get; init; }

    /// <summary>The host name the other nodes reach this one at; default <see cref="Hostname"/>.</summary>
    public string? PublicHostname { get; init; }

    /// <summary>
    /// Nodes to join: <c>akka.tcp://SYSTEM@HOST:PORT</c> or the short <c>HOST:PORT</c> (the actor system's own name is
    /// filled in). None: the node joins itself, a one-node cluster.
    /// </summary>
    public string[] SeedNodes { get; init; } = [];

    /// <summary>This node's cluster roles.</summary>
    public string[] Roles { get; init; } = [];

    /// <summary>
    /// <c>keep-majority</c> (default: the side with more nodes survives a partition), <c>keep-oldest</c>, or
    /// <c>off</c> (nothing is downed automatically: an unreachable node must be downed by an operator).
    /// </summary>
    public string SplitBrainResolver { get; init; } = "keep-majority";

    /// <summary>How long membership must be stable before the resolver decides (Akka's default 20 s).</summary>
    public TimeSpan StableAfter { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// The role a node needs to host device and rollout shards; a node without it reaches them through a proxy.
    /// Null: every node hosts shards.
    /// </summary>
    public string? ShardRole { get; init; }

    /// <summary>The seed nodes as full Akka addresses; throws <see cref="FormatException"/> naming a bad one.</summary>
    public IReadOnlyList<string> SeedAddresses(string actorSystemName) =>
        SeedNodes.Where(s => !string.IsNullOrWhiteSpace(s))
            .Select(s => SeedAddress(s.Trim(), actorSystemName)).ToList();

    /// <summary>Checks every option; throws <see cref="FormatException"/> naming the bad one.</summary>
    public void Validate(string actorSystemName)
    {
        if (string.IsNullOrWhiteSpace(Hostname)) throw new FormatException("cluster host must not be empty");
        if (Port is < 0 or > 65535) throw new FormatException($"cluster port must be from 0 to 65535, got {Port}");
        if (PublicHostname is not null && string.IsNullOrWhiteSpace(PublicHostname))
            throw new FormatException("cluster public host must not be empty when given");
        if (!Strategies.Contains(SplitBrainResolver))
            throw new FormatException(
                $"split-brain resolver '{SplitBrainResolver}' is not one of {string.Join(", ", Strategies)}");
        if (StableAfter <= TimeSpan.Zero)
            throw new FormatException($"split-brain resolver stable-after must be positive, got {StableAfter}");
        if (Roles.Any(string.IsNullOrWhiteSpace)) throw new FormatException("a cluster role must not be empty");
        if (ShardRole is not null && string.IsNullOrWhiteSpace(ShardRole))
            throw new FormatException("the shard role must not be empty when given");
        _ = SeedAddresses(actorSystemName);
    }

    private static string SeedAddress(string seed, string actorSystemName)
    {
        var full = seed.Contains("://", StringComparison.Ordinal) ? seed : $"akka.tcp://{actorSystemName}@{seed}";
        Address address;
        try
        {
            address = Address.Parse(full);
        }
        catch (Exception e) when (e is UriFormatException or FormatException or ArgumentException)
        {
            throw new FormatException($"seed node '{seed}' is not HOST:PORT or akka.tcp://SYSTEM@HOST:PORT", e);
        }
        if (address.Host is null || address.Port is null or <= 0)
            throw new FormatException($"seed node '{seed}' names no host and port");
        // A node only joins a cluster of its own actor system name: say so now rather than wait forever.
        if (address.System != actorSystemName)
            throw new FormatException(
                $"seed node '{seed}' is in actor system '{address.System}', this node is '{actorSystemName}'");
        return address.ToString();
    }
}
