using FleetOrchestrator.Orchestration.Hosting;
using FleetOrchestrator.Orchestration.Persistence;

namespace FleetOrchestrator.Orchestration.Tests.Persistence;

public sealed class PostgresJournalTuningSpecs
{
    [Fact]
    public void The_postgres_journal_writes_batches_of_up_to_1000_events_and_queues_50000()
    {
        var journal = FleetHocon.Persistence(FleetPersistenceOptions.Postgres("Host=127.0.0.1;Username=u;Database=d"))
            .GetConfig("akka.persistence.journal.sql");

        // The plugin's defaults are 100 and 5,000 (docs/simulate-benchmarks.md, "PostgreSQL against SQLite").
        Assert.Equal(1000, journal.GetInt("batch-size"));
        Assert.Equal(50000, journal.GetInt("buffer-size"));
        Assert.Equal("PostgreSQL.15", journal.GetString("provider-name"));
    }
}
