using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.Feed;

namespace FleetOrchestrator.Orchestration.Rollouts.Actors;

/// <summary>Where the rollout feed router reads, how it batches, how it retries a silent rollout.</summary>
public sealed record RolloutFeedRouterOptions(
    string ReadJournalPluginId = SagaFeed.DefaultReadJournal,
    string Tag = FleetTags.Device)
{
    /// <summary>Its row in <c>projection_offsets</c>.</summary>
    public const string ProjectionId = "rollout-router";

    public int BatchSize { get; init; } = 500;
    public TimeSpan BatchDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How long one delivery waits for the rollout's acknowledgement before it is sent again.</summary>
    public TimeSpan AskTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan MinRestartBackoff { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxRestartBackoff { get; init; } = TimeSpan.FromSeconds(30);
}
