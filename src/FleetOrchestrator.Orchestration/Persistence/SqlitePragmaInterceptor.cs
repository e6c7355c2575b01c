using System.Data.Common;
using LinqToDB.Interceptors;

namespace FleetOrchestrator.Orchestration.Persistence;

/// <summary>
/// synchronous=NORMAL is per connection and Microsoft.Data.Sqlite has no connection-string key for it; in WAL mode it
/// only risks the last transactions on a power cut (never corruption) and more than doubles write throughput.
/// busy_timeout lets the journal, the snapshot store and the read journal share the file without SQLITE_BUSY.
/// <para>
/// The async open also hands the rest of the operation to the thread pool. Microsoft.Data.Sqlite runs its "async"
/// methods synchronously, so the journal's write stage (batch, then write with bounded parallelism) never saw a write
/// in flight and never batched: every event of every device was its own BEGIN/INSERT/COMMIT, about 1,000 a second.
/// With the write truly in flight, the events that arrive meanwhile from other devices queue in the batch stage and
/// go to the database together, in one transaction (each actor's write still succeeds or fails as a whole).
/// </para>
/// </summary>
public sealed class SqlitePragmaInterceptor : ConnectionInterceptor
{
    private const string Pragmas = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;";

    public override void ConnectionOpened(ConnectionEventData eventData, DbConnection connection) => ApplyPragmas(connection);

    public override Task ConnectionOpenedAsync(ConnectionEventData eventData, DbConnection connection, CancellationToken cancellationToken) =>
        Task.Run(() => ApplyPragmas(connection), cancellationToken);

    private static void ApplyPragmas(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
        SqliteTagOrderingIndex.EnsureOnce(connection);
    }
}
