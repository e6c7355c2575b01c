namespace FleetOrchestrator.Server.Api.Rollouts;

/// <summary>One wave: its phase, device count, counts by outcome, and the gate's state in words.</summary>
public sealed record RolloutWaveDetail(
    string Name,
    string Phase,
    int Devices,
    IReadOnlyDictionary<string, int> Outcomes,
    string GateState,
    DateTimeOffset? SoakUntil,
    string? HaltReason);
