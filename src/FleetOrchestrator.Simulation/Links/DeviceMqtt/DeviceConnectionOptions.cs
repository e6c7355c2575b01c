using FleetOrchestrator.Simulation.Links.KeepAlive;
using FleetOrchestrator.Mqtt.Security;
using MQTTnet.Adapter;

namespace FleetOrchestrator.Simulation.Links.DeviceMqtt;

/// <summary>How one device reaches its broker. Client id and user name are both <see cref="DeviceId"/>.</summary>
public sealed record DeviceConnectionOptions(string Host, int Port, string DeviceId, string Secret)
{
    /// <summary>How long the broker keeps the session (and queued QoS 1 commands) after the device drops off.</summary>
    public uint SessionExpirySeconds { get; init; } = 24 * 3600;
    public int KeepAliveSeconds { get; init; } = 60;
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(15);
    /// <summary>Null: plain TCP. Set: MQTT over TLS, the server checked by it (PROTOCOL.md §2, "TLS").</summary>
    public ServerTrust? Tls { get; init; }
    /// <summary>
    /// MQTT 5 Will Delay Interval: how long the broker waits after an unclean drop before it publishes the offline will.
    /// PROTOCOL.md §2 says devices SHOULD use 60 s, so the reset of a bank swap (back within seconds) does not flap the
    /// device offline and online. 0 publishes the will at once.
    /// </summary>
    public uint WillDelaySeconds { get; init; }

    /// <summary>
    /// How the MQTT client reaches the broker; null (default) is TCP to <see cref="Host"/>:<see cref="Port"/>. Set it to
    /// an <see cref="InProcessMqtt.InProcessMqttConnector"/> for a device simulated in the broker's own process: the
    /// same MQTT packets over an in-memory link, no socket (Host, Port and <see cref="Tls"/> are then ignored).
    /// </summary>
    public IMqttClientAdapterFactory? Link { get; init; }

    /// <summary>
    /// Null (default): the MQTT client pings on its own (MQTTnet wakes every 250 ms per connection to check). Set, the
    /// connection is pinged from this shared timer instead, which many connections in one process can share; the CONNECT
    /// declares <see cref="KeepAliveSeconds"/> either way, and the broker's keep-alive check is the same.
    /// </summary>
    public SharedKeepAlive? SharedKeepAlive { get; init; }
}
