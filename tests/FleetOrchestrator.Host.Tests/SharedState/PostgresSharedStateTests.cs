using FleetOrchestrator.Host.Tests.Cluster;
using FleetOrchestrator.Orchestration.Persistence;
using FleetOrchestrator.Orchestration.Tests.Persistence;

namespace FleetOrchestrator.Host.Tests.SharedState;

/// <summary><see cref="SharedStateContract"/> on a real PostgreSQL server (<see cref="PostgresFixture"/>: it fails,
/// not skips, without the Debian package); each test creates a database of its own on it.</summary>
[Collection(ProcessEnvironmentCollection.Name)]
public sealed class PostgresSharedStateTests(PostgresFixture postgres)
    : SharedStateContract, IClassFixture<PostgresFixture>
{
    protected override FleetPersistenceOptions FreshDatabase() =>
        FleetPersistenceOptions.Postgres(postgres.NewDatabase("fleet_state"));
}
