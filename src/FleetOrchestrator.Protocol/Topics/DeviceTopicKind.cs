namespace FleetOrchestrator.Protocol.Topics;

/// <summary>The leaf of a per-device topic <c>fleet/v1/devices/{deviceId}/{leaf}</c>.</summary>
public enum DeviceTopicKind
{
    /// <summary><c>status</c>: retained presence; the last will marks the device offline.</summary>
    Status,
    /// <summary><c>state</c>: retained full state report.</summary>
    State,
    /// <summary><c>evt</c>: device events (answers and unsolicited facts).</summary>
    Events,
    /// <summary><c>cmd</c>: commands to the device.</summary>
    Commands,
}
