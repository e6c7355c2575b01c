using Akka.Actor;
using Akka.Hosting;
using FleetOrchestrator.Orchestration.Hosting;
using FleetOrchestrator.Orchestration.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace FleetOrchestrator.Orchestration.Tests.Persistence;

/// <summary>
/// On an empty PostgreSQL database the default plugins make the tables before anything that Akka.Hosting starts
/// after the persistence (the shard regions and their "sharding" plugins), so no two plugins create one table at once.
/// </summary>
public sealed class DefaultPluginsFirstSpecs(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly string[] Tables = ["journal", "tags", "snapshot"];

    [Fact]
    public async Task The_tables_are_made_before_the_actors_started_after_the_persistence()
    {
        var options = FleetPersistenceOptions.Postgres(postgres.NewDatabase("schema_first"));
        string[]? seenByNextStarter = null;
        using var host = new HostBuilder()
            .ConfigureServices(services => services.AddAkka("schema-first", (akka, _) => akka
                .AddFleetPersistence(options)
                .StartActors(async (_, _) => seenByNextStarter = await TablesAsync(options.ConnectionString))))
            .Build();
        Assert.Empty(await TablesAsync(options.ConnectionString));
        await host.StartAsync();
        try
        {
            Assert.Equal(Tables, seenByNextStarter);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task A_database_that_does_not_answer_delays_the_start_by_the_wait_and_no_more()
    {
        var options = FleetPersistenceOptions.Postgres("Host=127.0.0.1;Port=1;Username=u;Database=d");
        var system = ActorSystem.Create("schema-unreachable",
            FleetHocon.Setup(FleetHocon.Compose(options, cluster: false), options));
        try
        {
            var wait = TimeSpan.FromSeconds(2);
            var started = DateTime.UtcNow;
            Assert.False(await DefaultPluginsFirst.InitializeAsync(system, wait));
            Assert.InRange(DateTime.UtcNow - started, wait - TimeSpan.FromMilliseconds(100), wait * 5);
        }
        finally
        {
            await system.Terminate();
        }
    }

    private static async Task<string[]> TablesAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
            + "AND table_name = ANY(@names) ORDER BY array_position(@names, table_name::text)", connection);
        query.Parameters.AddWithValue("names", Tables);
        var found = new List<string>();
        await using var reader = await query.ExecuteReaderAsync();
        while (await reader.ReadAsync()) found.Add(reader.GetString(0));
        return [.. found];
    }
}
