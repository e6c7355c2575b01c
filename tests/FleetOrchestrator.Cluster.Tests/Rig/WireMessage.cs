using FleetOrchestrator.Protocol.Messages;

namespace FleetOrchestrator.Cluster.Tests.Rig;

/// <summary>
/// One message seen on the broker, in the order the observer received it: a command to a device, an event from it,
/// or its retained state report (<see cref="State"/>).
/// </summary>
public sealed record WireMessage(string DeviceId, DeviceCommand? Command, DeviceEvent? Event, DeviceStateReport? State);
