using Akka.Actor;
using Akka.Hosting;
using FleetOrchestrator.Orchestration.Hosting;
using FleetOrchestrator.Orchestration.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FleetOrchestrator.Orchestration.Tests.Persistence;

public sealed class PostgresJournalTuningSpecs(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public void The_postgres_journal_queues_50000_events_so_a_fleet_starting_together_is_not_refused()
    {
        var journal = FleetHocon.Persistence(FleetPersistenceOptions.Postgres("Host=127.0.0.1;Username=u;Database=d"))
            .GetConfig("akka.persistence.journal.sql");

        // The plugin's default is 5,000 (docs/simulate-benchmarks.md, "PostgreSQL against SQLite").
        Assert.Equal(50000, journal.GetInt("buffer-size"));
        Assert.Equal("PostgreSQL.15", journal.GetString("provider-name"));
    }

    [Fact]
    public async Task The_builder_route_of_fleet_serve_gives_postgres_the_writer_tuning_of_its_file()
    {
        // A real server: the start waits for the journal's tables (DefaultPluginsFirst). This route once took only
        // SQLite's tuning: `fleet serve` and `fleet simulate` then ran PostgreSQL with the plugin's 5,000-event
        // queue, and 15,000 devices coming online together overflowed it (docs/simulate-benchmarks.md, "The same
        // fleet on PostgreSQL").
        var options = FleetPersistenceOptions.Postgres(postgres.ConnectionString);
        using var host = new HostBuilder()
            .ConfigureServices(services => services.AddAkka("tuning", (akka, _) => akka.AddFleetPersistence(options)))
            .Build();
        await host.StartAsync();
        try
        {
            var running = host.Services.GetRequiredService<ActorSystem>().Settings.Config
                .GetConfig("akka.persistence.journal.sql");
            var stated = FleetHocon.Load("persistence-postgres").GetConfig("akka.persistence.journal.sql");

            Assert.Equal(50000, running.GetInt("buffer-size"));
            Assert.Equal(stated.GetInt("buffer-size"), running.GetInt("buffer-size"));
            Assert.Equal("inline", running.GetString("tagtable-asqueryable-insert-mode"));
            Assert.Equal(TimeSpan.FromSeconds(30), running.GetTimeSpan("circuit-breaker.call-timeout"));
            Assert.Equal(50, host.Services.GetRequiredService<ActorSystem>().Settings.Config
                .GetInt("akka.persistence.query.journal.sql.journal-sequence-retrieval.max-tries"));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Theory]
    [InlineData("persistence-postgres")]
    [InlineData("persistence-sqlite")]
    public void Feeds_wait_10_s_at_a_hole_on_PostgreSQL_and_2_s_on_SQLite_before_reading_past_it(string file)
    {
        var options = file == "persistence-postgres"
            ? FleetPersistenceOptions.Postgres("Host=127.0.0.1;Username=u;Database=d")
            : FleetPersistenceOptions.Sqlite("fleet.db");
        var composed = FleetHocon.Persistence(options).GetConfig("akka.persistence.query.journal.sql");
        var shipped = FleetHocon.Load(file).GetConfig("akka.persistence.query.journal.sql");

        foreach (var query in new[] { composed, shipped })
        {
            var delay = query.GetTimeSpan("journal-sequence-retrieval.query-delay");
            var tries = query.GetInt("journal-sequence-retrieval.max-tries");
            Assert.Equal(TimeSpan.FromMilliseconds(200), delay);
            // On PostgreSQL the plugin's default, 10 tries, gave up after 2 s and lost device reports
            // (PostgresFeedGapSpecs); SQLite's one writer commits in order and keeps it.
            Assert.Equal(options.FeedGapPatience, delay * tries);
            Assert.Equal(file == "persistence-postgres" ? 50 : 10, tries);
            Assert.Equal(TimeSpan.FromMilliseconds(200), query.GetTimeSpan("refresh-interval"));
        }
    }

    [Fact]
    public void A_shorter_poll_interval_keeps_the_same_patience()
    {
        var options = FleetPersistenceOptions.Postgres("Host=127.0.0.1;Username=u;Database=d")
            with { QueryRefreshInterval = TimeSpan.FromMilliseconds(50) };
        var query = FleetHocon.Persistence(options).GetConfig("akka.persistence.query.journal.sql");

        Assert.Equal(200, query.GetInt("journal-sequence-retrieval.max-tries"));
        Assert.Equal(TimeSpan.FromMilliseconds(50), query.GetTimeSpan("journal-sequence-retrieval.query-delay"));
    }
}
