namespace FleetOrchestrator.Orchestration.Rollouts.Events;

/// <summary>Devices that matched the target after the start joined <see cref="Wave"/>.</summary>
public sealed record DevicesJoinedWave(DateTimeOffset At, int Wave, IReadOnlyList<string> DeviceIds,
    IReadOnlyDictionary<string, string>? TimeZones = null) : IRolloutEvent;
