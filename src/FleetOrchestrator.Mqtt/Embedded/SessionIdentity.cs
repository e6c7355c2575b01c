using System.Collections;
using FleetOrchestrator.Mqtt.Security;

namespace FleetOrchestrator.Mqtt.Embedded;

/// <summary>
/// Carries the authenticated identity from CONNECT to every later event of the session (MQTTnet's session items), so
/// the ACL never has to trust a client id or look anything up again.
/// </summary>
internal static class SessionIdentity
{
    private const string Key = "fleet.identity";

    public static void Attach(IDictionary sessionItems, MqttIdentity identity) => sessionItems[Key] = identity;

    public static MqttIdentity? Of(IDictionary? sessionItems) => sessionItems?[Key] as MqttIdentity;

    public static Dictionary<object, object> ItemsFor(MqttIdentity identity) => new() { [Key] = identity };
}
