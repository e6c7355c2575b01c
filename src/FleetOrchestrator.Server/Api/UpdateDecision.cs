namespace FleetOrchestrator.Server.Api;

/// <summary>What happened to one device of an update order; <see cref="Reason"/> explains a refusal.</summary>
public sealed record UpdateDecision(string DeviceId, bool Accepted, string? Reason)
{
    public static UpdateDecision Accept(string deviceId) => new(deviceId, true, null);

    public static UpdateDecision Refuse(string deviceId, string reason) => new(deviceId, false, reason);
}
