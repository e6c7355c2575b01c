using FleetOrchestrator.Protocol.Topics;

namespace FleetOrchestrator.Mqtt.Security;

/// <summary>
/// The topic ACL, the same rules the Mosquitto ACL file in <c>config/</c> expresses:
/// a device publishes only on its own status, state and evt topics and subscribes only to its own cmd topic (exactly,
/// no wildcards); the service identity may do anything under <c>fleet/v1/</c>. Everything else is refused.
/// </summary>
public static class DeviceTopicAcl
{
    /// <summary>The service identity's whole namespace.</summary>
    public const string ServiceNamespace = "fleet/v1/";

    public static AclDecision CheckPublish(MqttIdentity identity, string topic)
    {
        if (identity.IsService)
        {
            return topic.StartsWith(ServiceNamespace, StringComparison.Ordinal)
                ? AclDecision.Allow
                : AclDecision.Deny($"service '{identity.UserName}' may publish only under {ServiceNamespace}#, not on '{topic}'");
        }
        if (!DeviceTopics.TryParse(topic, out var deviceId, out var kind, out var problem))
            return AclDecision.Deny($"device '{identity.UserName}' published on '{topic}', which is not a device topic: {problem}");
        if (deviceId != identity.UserName)
            return AclDecision.Deny($"device '{identity.UserName}' published on device '{deviceId}''s topic '{topic}'");
        if (kind == DeviceTopicKind.Commands)
            return AclDecision.Deny($"device '{identity.UserName}' may not publish on its command topic '{topic}'");
        return AclDecision.Allow;
    }

    public static AclDecision CheckSubscribe(MqttIdentity identity, string topicFilter)
    {
        if (identity.IsService)
        {
            return topicFilter.StartsWith(ServiceNamespace, StringComparison.Ordinal)
                ? AclDecision.Allow
                : AclDecision.Deny($"service '{identity.UserName}' may subscribe only under {ServiceNamespace}#, not to '{topicFilter}'");
        }
        var own = DeviceTopics.Commands(identity.UserName);
        return topicFilter == own
            ? AclDecision.Allow
            : AclDecision.Deny($"device '{identity.UserName}' may subscribe only to '{own}', not to '{topicFilter}'");
    }
}
