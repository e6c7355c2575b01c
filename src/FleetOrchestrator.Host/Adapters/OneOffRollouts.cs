using FleetOrchestrator.Orchestration.Devices.Messages;
using FleetOrchestrator.Orchestration.Rollouts;
using FleetOrchestrator.Orchestration.Rollouts.Messages;
using FleetOrchestrator.Orchestration.Rollouts.Policy;

namespace FleetOrchestrator.Host.Adapters;

/// <summary>
/// <c>POST /api/updates</c> as a rollout: one wave of exactly the listed devices, all commanded at once (maxInFlight
/// is the order's size, no rate limit), a gate that never halts or waits (every outcome is the device's own: minSample
/// 1, success at least 0, failures at most 1, no soak, automatic approval), no window, no fleet rollback. It shows in
/// <c>GET /api/rollouts</c> under an id starting <c>u-</c>, and can be paused or cancelled like any rollout.
/// </summary>
internal static class OneOffRollouts
{
    public const string IdPrefix = "u-";

    /// <summary>A fresh id: the time to the millisecond and a random suffix (24 characters, the longest allowed).
    /// </summary>
    public static string NewId() =>
        $"{IdPrefix}{DateTimeOffset.UtcNow:yyyyMMddHHmmssfff}-{Random.Shared.Next(0x10000):x4}";

    public static RolloutPolicy Policy(string version, IReadOnlyList<string> deviceIds) => new(
        $"update to {version} (POST /api/updates)",
        new RolloutTarget([], new Dictionary<string, IReadOnlyList<string>>(), deviceIds, [], []),
        [new WaveSpec("all", null, 100, null)],
        null,
        new GatePolicy(1, 0, 1, TimeSpan.Zero, ApprovalMode.Auto, GatePolicy.DefaultFailures),
        new RolloutLimits(Math.Max(1, deviceIds.Count), 0),
        HaltAction.Pause,
        null,
        false);

    public static StartRollout Start(string rolloutId, string version, IReadOnlyList<string> deviceIds,
        UpdateTarget target, UpdatePolicy sagaPolicy) =>
        new(rolloutId, Policy(version, deviceIds), target, [deviceIds], 0,
            new OperatorAction("operator", "POST /api/updates"), null, sagaPolicy);
}
