using FleetOrchestrator.Orchestration.Devices;

namespace FleetOrchestrator.Orchestration.ReadModel;

/// <summary>Where the fleet view reads from.</summary>
/// <param name="ReadJournalPluginId">The read journal (Akka.Persistence.Sql's by default).</param>
/// <param name="Tag">The tag every device event carries.</param>
public sealed record FleetViewOptions(string ReadJournalPluginId = "akka.persistence.query.journal.sql", string Tag = FleetTags.Device)
{
    /// <summary>Restart backoff when the journal query fails (database restart, network).</summary>
    public TimeSpan MinRestartBackoff { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxRestartBackoff { get; init; } = TimeSpan.FromSeconds(30);
}
