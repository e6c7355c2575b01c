namespace FleetOrchestrator.Orchestration.Rollouts.Policy;

/// <summary>
/// A staged rollout as an operator or automation submits it (JSON, read by <see cref="RolloutPolicyReader"/>;
/// examples in config/rollouts/). Either <see cref="Waves"/> or <see cref="Ramp"/> shapes the stages.
/// </summary>
/// <param name="Name">Shown to people; free text.</param>
/// <param name="Target">Which devices of the fleet the rollout is for.</param>
/// <param name="Waves">A canary by count, then cumulative shares of the target; empty when <see cref="Ramp"/> is set.</param>
/// <param name="Ramp">An exponential ramp instead of explicit waves.</param>
/// <param name="Gate">The gate every wave passes before the next one starts (a wave may override it).</param>
/// <param name="Limits">Devices in flight at once, devices started per minute.</param>
/// <param name="OnHalt">What the rollout does when a gate halts it.</param>
/// <param name="Window">The device-local hours in which swaps are authorized; null: any time.</param>
/// <param name="DownloadOnly">Stage every device now; swaps wait for the rollout's <c>activate</c>.</param>
public sealed record RolloutPolicy(
    string Name,
    RolloutTarget Target,
    IReadOnlyList<WaveSpec> Waves,
    RampSpec? Ramp,
    GatePolicy Gate,
    RolloutLimits Limits,
    HaltAction OnHalt,
    MaintenanceWindow? Window,
    bool DownloadOnly);
