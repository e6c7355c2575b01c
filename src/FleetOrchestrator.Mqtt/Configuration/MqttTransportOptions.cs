namespace FleetOrchestrator.Mqtt.Configuration;

/// <summary>
/// The MQTT transport, as configured (section <c>Mqtt</c>): which mode, and the settings of each. Only the section of the
/// chosen mode is used. See <c>config/appsettings.mqtt-*.json</c>.
/// </summary>
public sealed record MqttTransportOptions
{
    public const string SectionName = "Mqtt";

    public MqttTransportMode Mode { get; init; } = MqttTransportMode.Embedded;
    public EmbeddedBrokerOptions Embedded { get; init; } = new();
    public ExternalBrokerOptions External { get; init; } = new();
}
