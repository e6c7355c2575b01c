using System.Collections.Immutable;
using FleetOrchestrator.Orchestration.Rollouts;

namespace FleetOrchestrator.Orchestration.ReadModel;

/// <summary>
/// One rollout in the rollout list (a projection of its events, <see cref="RolloutListProjection"/>): enough to list
/// rollouts without waking their actors. <see cref="Outcomes"/> counts the forward sagas' outcomes by name, plus
/// "Skipped" for devices that refused the start.
/// </summary>
public sealed record RolloutListRow(
    string RolloutId,
    string Name,
    RolloutStatus Status,
    bool DownloadOnly,
    bool Activated,
    int Devices,
    int Commanded,
    ImmutableSortedDictionary<string, int> Outcomes,
    DateTimeOffset StartedAt,
    DateTimeOffset UpdatedAt);
