namespace FleetOrchestrator.Orchestration.Rollouts.Effects;

/// <summary>
/// Cancel the device's running saga (CancelUpdate). The saga compensates by its own phase: before the swap it stops
/// and erases the staged image, after the swap and before the commit it rolls back, after the commit it is finished.
/// </summary>
public sealed record CancelDeviceUpdate(string DeviceId, string UpdateId, string Reason)
    : RolloutEffect(DeviceId, UpdateId);
