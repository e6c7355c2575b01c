using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.Protocol.Messages;

namespace FleetOrchestrator.Orchestration.Devices.Events;

// What the orchestrator learned about a device outside (or alongside) a saga. Persisted only when something changed,
// never per heartbeat, so the fleet read model knows every device it has heard of.

/// <summary>A state report that differs from the last known one.</summary>
public sealed record DeviceStateObserved(DateTimeOffset At, long? Sequence, DeviceStateReport Report) : IDeviceActorEvent, IFromDevice;

/// <summary>The device's presence flipped.</summary>
public sealed record DevicePresenceObserved(DateTimeOffset At, bool Online) : IDeviceActorEvent;

/// <summary>The device reset while no saga was waiting for it.</summary>
public sealed record DeviceBootObserved(DateTimeOffset At, long? Sequence, SemanticVersion Version, BankId ActiveBank, ImageState ImageState, ResetCause ResetCause)
    : IDeviceActorEvent, IFromDevice;
