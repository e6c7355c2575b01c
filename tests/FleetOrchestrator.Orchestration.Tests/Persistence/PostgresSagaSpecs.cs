using Akka.TestKit.Xunit2;
using FleetOrchestrator.Orchestration.Persistence;
using FleetOrchestrator.Orchestration.Serialization;
using Npgsql;
using Xunit.Abstractions;

namespace FleetOrchestrator.Orchestration.Tests.Persistence;

/// <summary>The same scenario as on SQLite, on a real PostgreSQL server started by <see cref="PostgresFixture"/>.</summary>
public sealed class PostgresSagaSpecs(PostgresFixture postgres, ITestOutputHelper output) : TestKit(output: output), IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task A_saga_on_PostgreSQL_recovers_in_a_second_actor_system_and_finishes()
    {
        await DurableSagaScenario.RunAsync(FleetPersistenceOptions.Postgres(postgres.ConnectionString), CreateTestProbe());

        await using var connection = new NpgsqlConnection(postgres.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT COUNT(*), COUNT(*) FILTER (WHERE identifier = @id) FROM journal WHERE persistence_id LIKE 'device-%'", connection);
        command.Parameters.AddWithValue("id", FleetSerializer.Id);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        var total = reader.GetInt64(0);
        Assert.True(total > 5);
        Assert.Equal(total, reader.GetInt64(1));
    }
}
