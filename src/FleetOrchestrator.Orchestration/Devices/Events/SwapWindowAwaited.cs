namespace FleetOrchestrator.Orchestration.Devices.Events;

/// <summary>
/// The image is staged and verified (or activated) outside the device's maintenance window: the swap waits, staged,
/// until <see cref="OpensAt"/> (a persisted deadline, re-armed on recovery), then is authorized if the window is open.
/// </summary>
public sealed record SwapWindowAwaited(DateTimeOffset At, DateTimeOffset OpensAt) : IDeviceActorEvent;
