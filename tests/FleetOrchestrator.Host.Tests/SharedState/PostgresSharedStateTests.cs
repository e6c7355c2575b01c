using FleetOrchestrator.Host.Tests.Cluster;
using FleetOrchestrator.Orchestration.Persistence;
using FleetOrchestrator.Orchestration.Tests.Persistence;
using Npgsql;

namespace FleetOrchestrator.Host.Tests.SharedState;

/// <summary><see cref="SharedStateContract"/> on a real PostgreSQL server (<see cref="PostgresFixture"/>: it fails,
/// not skips, without the Debian package); each test creates a database of its own on it.</summary>
[Collection(ProcessEnvironmentCollection.Name)]
public sealed class PostgresSharedStateTests(PostgresFixture postgres)
    : SharedStateContract, IClassFixture<PostgresFixture>
{
    protected override FleetPersistenceOptions FreshDatabase()
    {
        var name = "fleet_state_" + Guid.NewGuid().ToString("N")[..12];
        using (var connection = new NpgsqlConnection(postgres.ConnectionString))
        {
            connection.Open();
            using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            command.ExecuteNonQuery();
        }
        var builder = new NpgsqlConnectionStringBuilder(postgres.ConnectionString) { Database = name };
        return FleetPersistenceOptions.Postgres(builder.ConnectionString);
    }
}
