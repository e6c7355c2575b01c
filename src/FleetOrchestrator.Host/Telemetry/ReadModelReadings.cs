using FleetOrchestrator.Orchestration.ReadModel;
using FleetOrchestrator.Orchestration.ReadModel.Storage;
using FleetOrchestrator.Orchestration.Rollouts;

namespace FleetOrchestrator.Host.Telemetry;

/// <summary>
/// What the fleet gauges report at one time: the fleet summary, the rollout list's statuses and the waves of the
/// unfinished rollouts by phase.
/// </summary>
public sealed record ReadModelReadings(
    FleetSummary Fleet,
    IReadOnlyDictionary<RolloutStatus, int> RolloutsByStatus,
    IReadOnlyDictionary<WavePhase, int> WavesByPhase)
{
    /// <summary>
    /// Reads the summary and the rollout list from the database; the waves of each unfinished rollout (a handful,
    /// whose actors run anyway) from <paramref name="wavesOf"/>, since the rollout list keeps no waves.
    /// </summary>
    public static async Task<ReadModelReadings> ReadAsync(FleetReadStore store,
        Func<string, CancellationToken, Task<IReadOnlyList<WavePhase>>> wavesOf, CancellationToken cancellationToken)
    {
        var summary = await store.SummaryAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var rollouts = await store.ListRolloutsAsync(cancellationToken).ConfigureAwait(false);
        var byStatus = rollouts.GroupBy(r => r.Status).ToDictionary(g => g.Key, g => g.Count());
        var waves = new Dictionary<WavePhase, int>();
        foreach (var rollout in rollouts.Where(r => !IsFinished(r.Status)))
            foreach (var phase in await wavesOf(rollout.RolloutId, cancellationToken).ConfigureAwait(false))
                waves[phase] = waves.GetValueOrDefault(phase) + 1;
        return new ReadModelReadings(summary, byStatus, waves);
    }

    private static bool IsFinished(RolloutStatus status) =>
        status is RolloutStatus.Completed or RolloutStatus.Cancelled or RolloutStatus.RolledBack;
}
