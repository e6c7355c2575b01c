using FleetOrchestrator.Orchestration.Persistence;
using FleetOrchestrator.Orchestration.Tests.Persistence;

namespace FleetOrchestrator.Host.Tests.Cluster;

/// <summary><see cref="TwoNodeClusterContract"/> on a real PostgreSQL server (<see cref="PostgresFixture"/>: it fails,
/// not skips, without the Debian package).</summary>
[Collection(ProcessEnvironmentCollection.Name)]
public sealed class PostgresTwoNodeClusterTests(PostgresFixture postgres)
    : TwoNodeClusterContract, IClassFixture<PostgresFixture>
{
    protected override FleetPersistenceOptions Persistence =>
        FleetPersistenceOptions.Postgres(postgres.ConnectionString);
}
