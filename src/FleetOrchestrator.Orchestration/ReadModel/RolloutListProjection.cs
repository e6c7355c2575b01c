using System.Collections.Immutable;
using FleetOrchestrator.Orchestration.Rollouts;
using FleetOrchestrator.Orchestration.Rollouts.Events;

namespace FleetOrchestrator.Orchestration.ReadModel;

/// <summary>
/// Folds rollout events into a <see cref="RolloutListRow"/> (pure). The status follows
/// <see cref="RolloutState.Apply"/>'s rules (the source; RolloutListProjectionSpecs checks they agree).
/// </summary>
public static class RolloutListProjection
{
    private static readonly ImmutableSortedDictionary<string, int> NoOutcomes =
        ImmutableSortedDictionary.Create<string, int>(StringComparer.Ordinal);

    /// <summary>The row after <paramref name="e"/>; null before the rollout's <see cref="RolloutStarted"/>.</summary>
    public static RolloutListRow? Apply(RolloutListRow? row, string rolloutId, IRolloutEvent e)
    {
        if (e is RolloutStarted started)
        {
            var downloadOnly = started.Policy.DownloadOnly;
            return row ?? new RolloutListRow(rolloutId, started.Policy.Name,
                downloadOnly ? RolloutStatus.Staging : RolloutStatus.Running, downloadOnly, false,
                started.Waves.Sum(w => w.Count), 0, NoOutcomes, started.At, started.At);
        }
        if (row is null) return null;
        var r = row with { UpdatedAt = e.At };
        return e switch
        {
            RolloutPaused => r with { Status = RolloutStatus.Paused },
            RolloutResumed => r with
            {
                Status = r.DownloadOnly && !r.Activated ? RolloutStatus.Staging : RolloutStatus.Running,
            },
            RolloutActivated => r with { Status = RolloutStatus.Running, Activated = true },
            RolloutCancelled => r with { Status = RolloutStatus.Cancelled },
            RollbackStarted => r with { Status = RolloutStatus.RollingBack },
            RolloutHalted => r with { Status = RolloutStatus.Halted },
            WavePassed when r.Status == RolloutStatus.Halted => r with { Status = RolloutStatus.Running },
            RolloutCompleted => r with { Status = RolloutStatus.Completed },
            RolloutRolledBack => r with { Status = RolloutStatus.RolledBack },
            DevicesJoinedWave j => r with { Devices = r.Devices + j.DeviceIds.Count },
            DevicesCommanded c => r with { Commanded = r.Commanded + c.DeviceIds.Count },
            DeviceSkipped => r with { Outcomes = Count(r.Outcomes, "Skipped") },
            // A rollback saga's conclusion is not the device's outcome in this rollout.
            DeviceConcluded c when c.UpdateId == RolloutIds.UpdateIdFor(rolloutId, c.DeviceId) =>
                r with { Outcomes = Count(r.Outcomes, c.Outcome.ToString()) },
            _ => r,
        };
    }

    private static ImmutableSortedDictionary<string, int> Count(ImmutableSortedDictionary<string, int> counts,
        string key) => counts.SetItem(key, counts.GetValueOrDefault(key) + 1);
}
