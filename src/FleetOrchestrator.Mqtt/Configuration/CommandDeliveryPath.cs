namespace FleetOrchestrator.Mqtt.Configuration;

/// <summary>How the embedded broker hands a command to a device's session.</summary>
public enum CommandDeliveryPath
{
    /// <summary>
    /// Enqueue straight into the target device's session (O(1)); bypasses MQTTnet's topic routing, whose cost grows with
    /// the number of sessions (dotnet/MQTTnet#2174). The topic is always the target's own cmd topic, so the ACL holds.
    /// </summary>
    DirectEnqueue,
    /// <summary>Publish through the broker's normal routing (<c>InjectApplicationMessage</c>): O(sessions) per command.</summary>
    BrokerRouting,
}
