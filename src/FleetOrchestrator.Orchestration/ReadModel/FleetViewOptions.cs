using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.Feed;

namespace FleetOrchestrator.Orchestration.ReadModel;

/// <summary>Where the fleet view reads from, and how it batches its writes.</summary>
/// <param name="ReadJournalPluginId">The read journal (Akka.Persistence.Sql's by default).</param>
/// <param name="Tag">The tag every device event carries.</param>
public sealed record FleetViewOptions(string ReadJournalPluginId = SagaFeed.DefaultReadJournal, string Tag = FleetTags.Device)
{
    /// <summary>Restart backoff when the journal query or a write fails (database restart, network).</summary>
    public TimeSpan MinRestartBackoff { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxRestartBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// At most this many events per write transaction. SQLite has one writer, shared with the journal: bigger batches
    /// mean fewer transactions competing with the sagas' own writes.
    /// </summary>
    public int BatchSize { get; init; } = 1000;

    /// <summary>A partial batch is written after this long, so a quiet fleet's view is still fresh.</summary>
    public TimeSpan BatchDelay { get; init; } = TimeSpan.FromMilliseconds(100);
}
