namespace FleetOrchestrator.Orchestration.Devices.Events;

/// <summary>
/// The health window ended without a health verdict (the report was lost, or the device sleeps: LTE-M power saving):
/// the saga asks for the state (<see cref="CommandId"/>, re-sent) and waits until <see cref="Deadline"/> for a report
/// carrying the verdict, then rolls back rather than commit an image nobody saw pass (PROTOCOL.md §8.5).
/// </summary>
public sealed record HealthVerdictAwaited(DateTimeOffset At, string CommandId, DateTimeOffset Deadline)
    : IDeviceActorEvent;
