using FleetOrchestrator.Protocol.Topics;

namespace FleetOrchestrator.Mqtt.Mosquitto;

/// <summary>
/// The Mosquitto ACL that expresses <see cref="Security.DeviceTopicAcl"/>: pattern rules where <c>%u</c> (the
/// authenticated user name, never the client-chosen client id) fills a whole topic level, plus a user block for the
/// orchestrator. <c>config/mosquitto/acl</c> is this text for the default service user.
/// </summary>
public static class MosquittoAclFile
{
    public static string Build(string serviceUserName)
    {
        ArgumentException.ThrowIfNullOrEmpty(serviceUserName);
        var root = DeviceTopics.Root;
        return $"""
            # Devices: user name = device id. Pattern rules apply to every user; %u must fill a whole topic level.
            pattern write {root}/%u/status
            pattern write {root}/%u/state
            pattern write {root}/%u/evt
            pattern read {root}/%u/cmd

            # The orchestrator: everything under fleet/v1/ (including $share/<group>/fleet/v1/... subscriptions).
            user {serviceUserName}
            topic readwrite fleet/v1/#

            """;
    }
}
