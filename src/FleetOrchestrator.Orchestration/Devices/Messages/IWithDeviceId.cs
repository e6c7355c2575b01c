namespace FleetOrchestrator.Orchestration.Devices.Messages;

/// <summary>A message for one device's actor; the shard region routes it by <see cref="DeviceId"/>.</summary>
public interface IWithDeviceId
{
    string DeviceId { get; }
}

/// <summary>
/// Marker for every message that may cross node boundaries to or from a device actor (commands, queries, replies,
/// notifications). The fleet serializer is bound to it so none of them falls back to the CLR-type-name JSON serializer.
/// </summary>
public interface IDeviceMessage;
