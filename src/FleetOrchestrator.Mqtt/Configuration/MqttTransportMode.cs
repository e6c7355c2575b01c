namespace FleetOrchestrator.Mqtt.Configuration;

/// <summary>Which MQTT transport the orchestrator runs on.</summary>
public enum MqttTransportMode
{
    /// <summary>The in-process MQTTnet broker (default): one process, no external dependency.</summary>
    Embedded,
    /// <summary>An external broker (Mosquitto, EMQX) consumed through shared subscriptions; needed for more than one node.</summary>
    External,
}
