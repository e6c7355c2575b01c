using MQTTnet.Adapter;

namespace FleetOrchestrator.Mqtt.Device;

/// <summary>How one device reaches its broker. Client id and user name are both <see cref="DeviceId"/>.</summary>
public sealed record DeviceConnectionOptions(string Host, int Port, string DeviceId, string Secret)
{
    /// <summary>How long the broker keeps the session (and queued QoS 1 commands) after the device drops off.</summary>
    public uint SessionExpirySeconds { get; init; } = 24 * 3600;
    public int KeepAliveSeconds { get; init; } = 60;
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(15);
    public bool UseTls { get; init; }

    /// <summary>
    /// How the MQTT client reaches the broker; null (default) is TCP to <see cref="Host"/>:<see cref="Port"/>. Set it to
    /// <c>EmbeddedMqttBroker.InProcessClients</c> for a device simulated in the broker's own process: the same MQTT
    /// packets over an in-memory link, no socket (Host, Port and <see cref="UseTls"/> are then ignored).
    /// </summary>
    public IMqttClientAdapterFactory? Link { get; init; }
}
