using FleetOrchestrator.Protocol.Messages;

namespace FleetOrchestrator.Orchestration.Devices.Messages;

/// <summary>A device event decoded by the transport, on its way to the device's actor.</summary>
public sealed record DeviceEventReceived(string DeviceId, DeviceEvent Event) : IWithDeviceId, IDeviceMessage;

/// <summary>
/// The device's retained state (published on every change, carries no sequence number). Counts as the answer to the
/// version check; never used to judge a running saga, because a retained message can be older than the last event.
/// </summary>
public sealed record DeviceStateReceived(string DeviceId, DeviceStateReport State) : IWithDeviceId, IDeviceMessage;

/// <summary>The device connected (Online) or its last will fired.</summary>
public sealed record DevicePresenceReceived(string DeviceId, bool Online) : IWithDeviceId, IDeviceMessage;
