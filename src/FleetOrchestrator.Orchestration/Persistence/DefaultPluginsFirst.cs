using Akka.Actor;
using Akka.Event;
using Akka.Persistence;

namespace FleetOrchestrator.Orchestration.Persistence;

/// <summary>
/// Lets the default journal and snapshot store ("sql") create their tables before anything starts the "sharding"
/// plugins, which keep their rows in the same tables. Started together on an empty PostgreSQL database, two plugins
/// ran the same <c>CREATE TABLE IF NOT EXISTS</c> at once, which PostgreSQL does not make safe (a duplicate key in
/// <c>pg_type_typname_nsp_index</c>): the loser failed and restarted, the recoveries it had taken failed with it, and
/// those devices were asked again only 10 s later. 10,000 devices then took 19-21 s to come online instead of 16 s
/// (docs/simulate-benchmarks.md, "PostgreSQL against SQLite"). Each plugin answers only once its tables are made, so
/// asking both for an empty recovery is the wait.
/// </summary>
public static class DefaultPluginsFirst
{
    public const string JournalPluginId = "akka.persistence.journal.sql";
    public const string SnapshotPluginId = "akka.persistence.snapshot-store.sql";

    /// <summary>No entity has this id: the questions below find nothing and write nothing.</summary>
    private const string ProbeId = "fleet-schema-probe";

    /// <summary>
    /// True when both answered within <paramref name="timeout"/>. Otherwise a warning names what did not answer and the
    /// start goes on: the plugins keep trying on their own, as they did before this wait.
    /// </summary>
    public static async Task<bool> InitializeAsync(ActorSystem system, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(system);
        var persistence = Akka.Persistence.Persistence.Instance.Apply(system);
        var journal = persistence.JournalFor(JournalPluginId);
        var snapshots = persistence.SnapshotStoreFor(SnapshotPluginId);
        var replay = journal.Ask<object>(
            asker => new ReplayMessages(1, 0, 0, ProbeId, asker), timeout, CancellationToken.None);
        var load = snapshots.Ask<object>(
            new LoadSnapshot(ProbeId, SnapshotSelectionCriteria.Latest, long.MaxValue), timeout);
        var problems = new List<string>();
        foreach (var (name, answer) in new[] { ("journal", replay), ("snapshot store", load) })
        {
            try
            {
                switch (await answer.ConfigureAwait(false))
                {
                    case ReplayMessagesFailure f: problems.Add($"the {name} failed: {f.Cause.Message}"); break;
                    case LoadSnapshotFailed f: problems.Add($"the {name} failed: {f.Cause.Message}"); break;
                }
            }
            catch (AskTimeoutException)
            {
                problems.Add($"the {name} did not answer within {timeout.TotalSeconds:0} s");
            }
        }
        if (problems.Count == 0) return true;
        system.Log.Warning("The database's tables were not confirmed before start ({0}); starting anyway, the "
                           + "persistence plugins keep trying", string.Join("; ", problems));
        return false;
    }
}
