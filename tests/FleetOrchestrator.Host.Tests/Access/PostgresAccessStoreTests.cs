using FleetOrchestrator.Orchestration.Persistence;
using FleetOrchestrator.Orchestration.Tests.Persistence;
using Npgsql;

namespace FleetOrchestrator.Host.Tests.Access;

/// <summary><see cref="AccessStoreContract"/> on a real PostgreSQL server (<see cref="PostgresFixture"/>, started like
/// the journal's PostgreSQL tests; it fails, not skips, without the Debian package).</summary>
public sealed class PostgresAccessStoreTests(PostgresFixture postgres)
    : AccessStoreContract, IClassFixture<PostgresFixture>
{
    protected override FleetPersistenceOptions Persistence =>
        FleetPersistenceOptions.Postgres(postgres.ConnectionString);

    protected override async Task EmptyTablesAsync()
    {
        await using var connection = new NpgsqlConnection(postgres.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("DELETE FROM api_keys; DELETE FROM audit_records", connection);
        await command.ExecuteNonQueryAsync();
    }
}
