using FleetOrchestrator.Host.Tests.Cluster;
using FleetOrchestrator.Orchestration.Persistence;

namespace FleetOrchestrator.Host.Tests.SharedState;

/// <summary><see cref="SharedStateContract"/> on SQLite: one file per test, shared by both nodes (WAL).</summary>
[Collection(ProcessEnvironmentCollection.Name)]
public sealed class SqliteSharedStateTests : SharedStateContract
{
    protected override FleetPersistenceOptions FreshDatabase() => FleetPersistenceOptions.Sqlite(
        Path.Combine(Directory.CreateTempSubdirectory("fleet-shared-state-").FullName, "fleet.db"));
}
