using LinqToDB;
using Microsoft.Data.Sqlite;

namespace FleetOrchestrator.Orchestration.Persistence;

/// <summary>Prepares the database before the actor system starts and builds the linq2db options the plugins use.</summary>
public static class FleetDataOptions
{
    /// <summary>
    /// For SQLite: creates the file's folder and switches the file to WAL (auto-initialize leaves it in rollback-journal
    /// mode; journal_mode=WAL is stored in the file, so once is enough). Nothing to do for PostgreSQL.
    /// </summary>
    public static void PrepareDatabase(FleetPersistenceOptions options)
    {
        if (options.Database != FleetDatabase.Sqlite)
            return;
        var builder = new SqliteConnectionStringBuilder(options.ConnectionString);
        if (Path.GetDirectoryName(Path.GetFullPath(builder.DataSource)) is { Length: > 0 } folder && builder.Mode != SqliteOpenMode.Memory)
            Directory.CreateDirectory(folder);
        using var connection = new SqliteConnection(options.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;";
        var mode = command.ExecuteScalar() as string;
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase) && builder.Mode != SqliteOpenMode.Memory)
            throw new InvalidOperationException($"SQLite file '{builder.DataSource}' refused WAL mode (journal_mode is '{mode}')");
    }

    /// <summary>linq2db options: SQLite gets the pragma interceptor and its tag rewrite, PostgreSQL its tag
    /// rewrite.</summary>
    public static DataOptions Create(FleetPersistenceOptions options)
    {
        var data = new DataOptions().UseConnectionString(options.ProviderName, options.ConnectionString);
        return options.Database == FleetDatabase.Sqlite
            ? data.UseInterceptor(new SqlitePragmaInterceptor()).UseInterceptor(new SqliteTagAggregateRewrite())
            : data.UseInterceptor(new PostgresTagAggregateRewrite());
    }
}
