namespace FleetOrchestrator.Orchestration.Devices.Events;

/// <summary>
/// Everything a device actor persists. Events are facts named in the past tense; each carries the time it happened
/// (<see cref="At"/>, from the actor system's scheduler so tests control it). Persisted with the fleet serializer under
/// short, stable manifests: never rename a manifest, only add optional members (extend-only).
/// </summary>
public interface IDeviceActorEvent
{
    DateTimeOffset At { get; }
}

/// <summary>An event that came from a device message; <see cref="Sequence"/> is the device's event sequence (null when the
/// event was caused by a timer, an operator, or a retained state without a sequence).</summary>
public interface IFromDevice
{
    long? Sequence { get; }
}
