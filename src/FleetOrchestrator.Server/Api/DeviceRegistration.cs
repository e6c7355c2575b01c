namespace FleetOrchestrator.Server.Api;

/// <summary>
/// Answer to <c>POST /api/devices</c>: the device's secret in clear, the only time it is ever shown (only its salted
/// hash is kept). The device logs in to MQTT with user name and client id = <see cref="DeviceId"/> and password =
/// <see cref="Secret"/>, and uses the same pair as HTTP Basic credentials for the image download.
/// </summary>
public sealed record DeviceRegistration(
    string DeviceId, string Secret, string MqttHost, int MqttPort, string CommandTopic)
{
    /// <summary>True when <see cref="MqttPort"/> speaks MQTT over TLS (PROTOCOL.md §2, "TLS", says how to check
    /// the server).</summary>
    public bool MqttTls { get; init; }
}
