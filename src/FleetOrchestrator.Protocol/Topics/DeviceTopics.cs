namespace FleetOrchestrator.Protocol.Topics;

/// <summary>
/// The v1 topic scheme. Every device owns exactly the subtree <c>fleet/v1/devices/{deviceId}/#</c>;
/// the broker ACL grants it nothing else.
/// </summary>
public static class DeviceTopics
{
    public const string Root = "fleet/v1/devices";

    /// <summary>Device → orchestrator, retained. Online/offline presence; the device's last will writes offline here.</summary>
    public static string Status(string deviceId) => $"{Root}/{deviceId}/status";
    /// <summary>Device → orchestrator, retained. The device's full state report.</summary>
    public static string State(string deviceId) => $"{Root}/{deviceId}/state";
    /// <summary>Device → orchestrator. Answers to commands and unsolicited events (booted, rolled back).</summary>
    public static string Events(string deviceId) => $"{Root}/{deviceId}/evt";
    /// <summary>Orchestrator → device. Commands, each with an id.</summary>
    public static string Commands(string deviceId) => $"{Root}/{deviceId}/cmd";

    /// <summary>Filter for everything a device may touch.</summary>
    public static string DeviceSubtree(string deviceId) => $"{Root}/{deviceId}/#";

    public const string AllStatus = Root + "/+/status";
    public const string AllState = Root + "/+/state";
    public const string AllEvents = Root + "/+/evt";
}
