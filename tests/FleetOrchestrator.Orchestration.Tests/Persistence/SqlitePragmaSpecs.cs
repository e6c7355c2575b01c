using FleetOrchestrator.Orchestration.Persistence;
using LinqToDB.Data;
using Microsoft.Data.Sqlite;

namespace FleetOrchestrator.Orchestration.Tests.Persistence;

public sealed class SqlitePragmaSpecs : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("fleet-pragma-").FullName;

    [Fact]
    public void The_file_is_switched_to_WAL_and_every_plugin_connection_runs_with_synchronous_NORMAL()
    {
        var options = FleetPersistenceOptions.Sqlite(Path.Combine(_folder, "sub", "fleet.db"));
        FleetDataOptions.PrepareDatabase(options);

        using (var plain = new SqliteConnection(options.ConnectionString))
        {
            plain.Open();
            using var mode = plain.CreateCommand();
            mode.CommandText = "PRAGMA journal_mode;";
            Assert.Equal("wal", mode.ExecuteScalar());
            using var sync = plain.CreateCommand();
            sync.CommandText = "PRAGMA synchronous;";
            Assert.Equal(2L, sync.ExecuteScalar()); // a plain connection: FULL (2)
        }

        // The connections the persistence plugins open go through linq2db with the interceptor: NORMAL (1).
        using var db = new DataConnection(FleetDataOptions.Create(options));
        Assert.Equal(1L, db.Execute<long>("PRAGMA synchronous;"));
        Assert.Equal(5000L, db.Execute<long>("PRAGMA busy_timeout;"));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}
