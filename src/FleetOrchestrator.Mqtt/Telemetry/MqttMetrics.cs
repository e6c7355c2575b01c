using System.Diagnostics.Metrics;

namespace FleetOrchestrator.Mqtt.Telemetry;

/// <summary>
/// The MQTT transport's instruments (meter <see cref="MeterName"/>): device connections on the embedded broker, device
/// messages in, commands out. Process-wide; no tags, so a recording on the message path allocates nothing and, with
/// no listener, is a field check.
/// </summary>
public static class MqttMetrics
{
    public const string MeterName = "FleetOrchestrator.Mqtt";

    private static readonly Meter Meter = new(MeterName);

    private static readonly UpDownCounter<long> Connections = Meter.CreateUpDownCounter<long>(
        "fleet_mqtt_connections", description: "Clients connected to the embedded broker now");

    private static readonly Counter<long> Received = Meter.CreateCounter<long>(
        "fleet_mqtt_messages_received",
        description: "Device messages (events, state, presence) the orchestrator received");

    private static readonly Counter<long> Rejected = Meter.CreateCounter<long>(
        "fleet_mqtt_messages_rejected",
        description: "Device traffic refused: bad or misaddressed messages, refused connections and subscriptions");

    private static readonly Counter<long> Sent = Meter.CreateCounter<long>(
        "fleet_mqtt_commands_sent", description: "Commands the orchestrator sent to devices (re-sends included)");

    internal static void Connected() => Connections.Add(1);

    internal static void Disconnected() => Connections.Add(-1);

    internal static void MessageReceived() => Received.Add(1);

    internal static void MessageRejected() => Rejected.Add(1);

    internal static void CommandSent() => Sent.Add(1);
}
