namespace FleetOrchestrator.Mqtt.Device;

/// <summary>How one device reaches its broker. Client id and user name are both <see cref="DeviceId"/>.</summary>
public sealed record DeviceConnectionOptions(string Host, int Port, string DeviceId, string Secret)
{
    /// <summary>How long the broker keeps the session (and queued QoS 1 commands) after the device drops off.</summary>
    public uint SessionExpirySeconds { get; init; } = 24 * 3600;
    public int KeepAliveSeconds { get; init; } = 60;
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(15);
    public bool UseTls { get; init; }
}
