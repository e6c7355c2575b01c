using System.Collections.Concurrent;
using System.Data.Common;

namespace FleetOrchestrator.Orchestration.Persistence;

/// <summary>
/// Adds the index the read journal's EventsByTag needs on SQLite: tags(tag, ordering_id). Auto-initialize only creates
/// tags(tag), and every device event carries the same tag, so each poll of the fleet read model ("tag = ? AND
/// ordering_id &gt; offset") walked every tag row ever written and sorted them (EXPLAIN QUERY PLAN: SEARCH tags USING
/// INDEX tags_tag_idx (tag=?), USE TEMP B-TREE); profiled at 3,000 simulated devices it cost as much CPU as all journal
/// writes. With the index the poll is a range seek over the new rows only.
/// The plugin creates its tables when the journal first starts, after the database is prepared, so the index is
/// created from the first connection that finds the tags table (once per database and process; IF NOT EXISTS makes a
/// restart or a second process harmless).
/// </summary>
public static class SqliteTagOrderingIndex
{
    private const string Create =
        "CREATE INDEX IF NOT EXISTS tags_tag_ordering_idx ON tags (tag, ordering_id);";

    private static readonly ConcurrentDictionary<string, bool> Ensured = new(StringComparer.Ordinal);

    public static void EnsureOnce(DbConnection connection)
    {
        var key = connection.ConnectionString;
        if (Ensured.ContainsKey(key))
            return;
        using var exists = connection.CreateCommand();
        exists.CommandText = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'tags';";
        if (exists.ExecuteScalar() is null)
            return;
        using var create = connection.CreateCommand();
        create.CommandText = Create;
        create.ExecuteNonQuery();
        Ensured[key] = true;
    }
}
