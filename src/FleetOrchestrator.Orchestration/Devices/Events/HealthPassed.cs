namespace FleetOrchestrator.Orchestration.Devices.Events;

/// <summary>
/// The trial image reported a passing self-test (a <c>health</c> event, or the <c>health</c> field of a state report
/// while on trial). Without it the saga never commits: the verdict must be known, not assumed from silence.
/// </summary>
public sealed record HealthPassed(DateTimeOffset At, long? Sequence, string? Detail) : IDeviceActorEvent, IFromDevice;
