namespace FleetOrchestrator.Server.Api.Rollouts;

/// <summary>
/// One line of the rollout list (from the read model's <c>rollouts</c> table, a projection of the rollout events):
/// <see cref="Devices"/> planned or joined, <see cref="Commanded"/> started, and the finished ones by outcome.
/// </summary>
public sealed record RolloutSummary(
    string RolloutId,
    string Name,
    string Status,
    int Devices,
    int Commanded,
    IReadOnlyDictionary<string, int> Outcomes,
    DateTimeOffset StartedAt,
    DateTimeOffset UpdatedAt);
