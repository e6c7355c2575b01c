using FleetOrchestrator.Orchestration.Persistence;

namespace FleetOrchestrator.Host.Tests.Cluster;

/// <summary><see cref="TwoNodeClusterContract"/> on one SQLite file (two nodes in one process share it; WAL).</summary>
[Collection(ProcessEnvironmentCollection.Name)]
public sealed class SqliteTwoNodeClusterTests : TwoNodeClusterContract
{
    protected override FleetPersistenceOptions Persistence { get; } = FleetPersistenceOptions.Sqlite(
        Path.Combine(Directory.CreateTempSubdirectory("fleet-two-nodes-").FullName, "fleet.db"));
}
