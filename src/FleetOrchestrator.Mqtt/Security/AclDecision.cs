namespace FleetOrchestrator.Mqtt.Security;

/// <summary>Allowed, or refused with a reason that goes to the log and to <c>IDeviceTrafficHandler.OnRejected</c>.</summary>
public readonly record struct AclDecision(bool Allowed, string Reason)
{
    public static readonly AclDecision Allow = new(true, "");
    public static AclDecision Deny(string reason) => new(false, reason);
}
