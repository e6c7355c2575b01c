using FleetOrchestrator.Orchestration.Persistence;
using Microsoft.Data.Sqlite;

namespace FleetOrchestrator.Host.Tests.Access;

/// <summary><see cref="AccessStoreContract"/> on SQLite, a fresh file per test.</summary>
public sealed class SqliteAccessStoreTests : AccessStoreContract, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("fleet-access-").FullName;

    public SqliteAccessStoreTests()
    {
        Persistence = FleetPersistenceOptions.Sqlite(Path.Combine(_directory, "fleet.db"));
        FleetDataOptions.PrepareDatabase(Persistence);
    }

    protected override FleetPersistenceOptions Persistence { get; }

    protected override Task EmptyTablesAsync() => Task.CompletedTask;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
