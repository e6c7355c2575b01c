using FleetOrchestrator.Orchestration.Devices;

namespace FleetOrchestrator.Orchestration.Rollouts;

/// <summary>One device of a rollout.</summary>
/// <param name="Wave">Index of its wave.</param>
/// <param name="UpdateId">The update id of its saga (deterministic: <see cref="RolloutIds.UpdateIdFor"/>).</param>
/// <param name="Activated">Download-only: ActivateUpdate was sent (the swap is authorized).</param>
/// <param name="Outcome">The saga's outcome; null while it runs, or when the device refused the start.</param>
/// <param name="Reverted">Went back to its old image after the commit (counts as a failure of its wave).</param>
/// <param name="RollbackOutcome">Outcome of the rollback saga, once it concluded.</param>
/// <param name="TimeZone">Its <c>timezone</c> tag when it joined: where the maintenance window is read (null: UTC).
/// </param>
public sealed record RolloutDevice(
    string DeviceId,
    int Wave,
    string UpdateId,
    RolloutDeviceStep Step,
    bool Activated,
    UpdateOutcome? Outcome,
    string? Reason,
    DateTimeOffset? FinishedAt,
    bool Reverted,
    string? RollbackUpdateId,
    UpdateOutcome? RollbackOutcome,
    string? TimeZone = null)
{
    public static RolloutDevice Pending(string rolloutId, string deviceId, int wave, string? timeZone = null) =>
        new(deviceId, wave, RolloutIds.UpdateIdFor(rolloutId, deviceId), RolloutDeviceStep.Pending, false, null, null,
            null, false, null, null, timeZone);

    /// <summary>Its forward saga has concluded (whatever happened after).</summary>
    public bool Finished => Step >= RolloutDeviceStep.Finished;

    /// <summary>Updated and still on the new image.</summary>
    public bool Succeeded => Outcome == UpdateOutcome.Updated && !Reverted;
}
