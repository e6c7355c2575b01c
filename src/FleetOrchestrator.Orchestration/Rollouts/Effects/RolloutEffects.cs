namespace FleetOrchestrator.Orchestration.Rollouts.Effects;

/// <summary>The effects a recovered rollout re-issues: every request whose answer it cannot know it received.</summary>
public static class RolloutEffects
{
    /// <summary>
    /// StartUpdate for every commanded device whose saga has not concluded (idempotent per update id: a running or
    /// finished saga answers "already started" and nothing starts twice), ActivateUpdate for the activated ones,
    /// the rollback saga for every device rolling back, and CancelUpdate for the running sagas of a cancelled rollout.
    /// </summary>
    public static IReadOnlyList<RolloutEffect> Outstanding(RolloutState state)
    {
        var effects = new List<RolloutEffect>();
        foreach (var d in state.Devices.Values.OrderBy(d => d.DeviceId, StringComparer.Ordinal))
        {
            switch (d.Step)
            {
                case RolloutDeviceStep.Commanded when state.Status == RolloutStatus.Cancelled:
                    effects.Add(new CancelDeviceUpdate(d.DeviceId, d.UpdateId, "rollout cancelled"));
                    break;
                case RolloutDeviceStep.Commanded
                    when state.Status == RolloutStatus.RollingBack && state.RollbackWaves.Contains(d.Wave):
                    effects.Add(new CancelDeviceUpdate(d.DeviceId, d.UpdateId, "rollout rolling back"));
                    break;
                case RolloutDeviceStep.Commanded:
                    effects.Add(new StartDeviceUpdate(d.DeviceId, d.UpdateId));
                    if (d.Activated) effects.Add(new ActivateDevice(d.DeviceId, d.UpdateId));
                    break;
                case RolloutDeviceStep.RollingBack when state.RollbackTarget is { } previous:
                    effects.Add(new RollBackDevice(d.DeviceId, d.RollbackUpdateId!, previous));
                    break;
            }
        }
        return effects;
    }
}
