namespace FleetOrchestrator.Server.Api.Rollouts;

/// <summary>
/// Why a device is where it is: its wave (null: not in the rollout), what it waits for (gate, approval, in-flight
/// limit, rate limit, device, operator, activation; null: nothing) and the same in words.
/// </summary>
public sealed record RolloutDeviceWhy(
    string RolloutId,
    string DeviceId,
    int? Wave,
    string? WaveName,
    string? Step,
    string? Outcome,
    string? WaitingFor,
    string Detail);
