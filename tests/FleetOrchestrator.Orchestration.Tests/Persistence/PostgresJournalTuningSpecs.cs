using FleetOrchestrator.Orchestration.Hosting;
using FleetOrchestrator.Orchestration.Persistence;

namespace FleetOrchestrator.Orchestration.Tests.Persistence;

public sealed class PostgresJournalTuningSpecs
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
}
