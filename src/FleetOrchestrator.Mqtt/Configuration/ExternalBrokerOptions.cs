namespace FleetOrchestrator.Mqtt.Configuration;

/// <summary>Connection to an external broker (Mosquitto, EMQX). Bindable from configuration (section <c>Mqtt:External</c>).</summary>
public sealed record ExternalBrokerOptions
{
    public string Host { get; init; } = "127.0.0.1";
    public int Port { get; init; } = 1883;
    public string UserName { get; init; } = "fleet-orchestrator";
    /// <summary>Never commit a real one: take it from an environment variable or a secret store.</summary>
    public string Password { get; init; } = "";
    /// <summary>
    /// Must be unique per orchestrator node (the broker keeps one session per client id, and a second connection with
    /// the same id takes the first one's over) and stable across the node's restarts (so it finds its session again).
    /// <c>fleet serve</c> derives it from the host name and the data directory (NodeClientId).
    /// </summary>
    public string ClientId { get; init; } = "fleet-orchestrator-1";
    /// <summary>MQTT over TLS (<c>--broker mqtts://…</c>), the server checked against <see cref="CaFile"/>.</summary>
    public bool UseTls { get; init; }
    /// <summary>
    /// With <see cref="UseTls"/>: a PEM file of the CA certificates (or the broker's self-signed certificate) the
    /// broker's certificate must chain to, its host name checked too; null: the operating system's trust store.
    /// </summary>
    public string? CaFile { get; init; }
    /// <summary>Shared-subscription group; every node in the group receives a share of the device traffic.</summary>
    public string SharedSubscriptionGroup { get; init; } = "fleet-orchestrators";
    /// <summary>
    /// Session expiry (s) after a connection drops without DISCONNECT (a network cut, a killed process): for this long
    /// the broker keeps the node's session and queues its share of the device traffic, which the node gets if it comes
    /// back with the same <see cref="ClientId"/> within the time. Mosquitto keeps giving an offline member its
    /// share, so
    /// on a node that never comes back that share waits and then is dropped: short, so the group's other nodes take the
    /// whole traffic again soon. A node that stops cleanly leaves the group at once
    /// (ExternalBrokerTransport.DisposeAsync).
    /// </summary>
    public uint SessionExpirySeconds { get; init; } = 60;
    public int KeepAliveSeconds { get; init; } = 30;
    /// <summary>How often the supervising loop checks the connection (and the delay between reconnect attempts).</summary>
    public TimeSpan ReconnectInterval { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>
    /// Socket send and receive buffers of this node's one connection, which carries the traffic of the whole fleet.
    /// MQTTnet's client default (8 KiB) pins the TCP window that small: at 3,000-10,000 devices the broker's queue to the
    /// orchestrator sat at about 1 MB while the orchestrator had nothing left to read, device traffic trickled in at
    /// about 75 messages/s for 30 s at a time, and the fleet stalled (docs/simulate-benchmarks.md). The kernel caps the
    /// value at net.core.rmem_max / wmem_max.
    /// </summary>
    public int SocketBufferBytes { get; init; } = 4 * 1024 * 1024;
}
