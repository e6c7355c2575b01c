using System.Data.Common;
using LinqToDB.Interceptors;

namespace FleetOrchestrator.Orchestration.Persistence;

/// <summary>
/// synchronous=NORMAL is per connection and Microsoft.Data.Sqlite has no connection-string key for it; in WAL mode it
/// only risks the last transactions on a power cut (never corruption) and more than doubles write throughput.
/// busy_timeout lets the journal, the snapshot store and the read journal share the file without SQLITE_BUSY.
/// </summary>
public sealed class SqlitePragmaInterceptor : ConnectionInterceptor
{
    private const string Pragmas = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;";

    public override void ConnectionOpened(ConnectionEventData eventData, DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(ConnectionEventData eventData, DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
