namespace FleetOrchestrator.Server.Api.Rollouts;

/// <summary>
/// A dry run's answer (and a start's plan): each wave's device ids in the order they are commanded, every targeted
/// device left out with its reason, and the ETA if every gate passes at once (approvals and windows not counted).
/// </summary>
public sealed record RolloutPlanView(
    int Seed,
    int Devices,
    IReadOnlyList<RolloutPlanWave> Waves,
    IReadOnlyList<RolloutPlanExclusion> Excluded,
    TimeSpan Eta);
