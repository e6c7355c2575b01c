namespace FleetOrchestrator.Orchestration.Persistence;

public enum FleetDatabase
{
    /// <summary>One file, one process: the default.</summary>
    Sqlite,
    /// <summary>Several nodes share one PostgreSQL database.</summary>
    Postgres,
}

/// <summary>Which database holds the journal, the snapshots and the sharding state. Same code, same schema on both.</summary>
public sealed record FleetPersistenceOptions(FleetDatabase Database, string ConnectionString)
{
    /// <summary>SQLite file at <paramref name="filePath"/> (created on first use; WAL is switched on at start).</summary>
    public static FleetPersistenceOptions Sqlite(string filePath) => new(FleetDatabase.Sqlite, $"Data Source={filePath}");

    /// <summary>PostgreSQL by Npgsql connection string ("Host=..;Port=..;Username=..;Database=..").</summary>
    public static FleetPersistenceOptions Postgres(string connectionString) => new(FleetDatabase.Postgres, connectionString);

    /// <summary>linq2db provider name; the most specific one avoids provider detection at start.</summary>
    public string ProviderName => Database == FleetDatabase.Sqlite ? LinqToDB.ProviderName.SQLiteMS : LinqToDB.ProviderName.PostgreSQL15;

    /// <summary>How often the read journal polls for new events (the fleet read model's lag).</summary>
    public TimeSpan QueryRefreshInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// How long every journal feed (read model, rollouts, the saga feed) waits at a hole in the journal's ordering
    /// before it reads past it. PostgreSQL numbers a row when it is inserted, not when it commits: with several
    /// writers, a row numbered 104 can commit after 105, and a feed that read past 104 would never deliver it. A hole
    /// is either such a write still in flight or a row that will never come (a write rolled back, a node killed
    /// mid-transaction, or events the sharding remember-entities store deleted after its snapshot); they cannot be told
    /// apart, so the feed waits this long. The plugin's default (10 polls, 2 s at our poll interval) lost device
    /// reports on a loaded three-node cluster, where write transactions were seen open for 4.8 s: PostgreSQL waits
    /// 10 s. The price: feeds pause this long at every hole that never fills, and at start while they pass the
    /// journal's old holes. SQLite has one writer, so every hole there is one that never fills: it keeps the default.
    /// </summary>
    public TimeSpan FeedGapPatience { get; init; } =
        Database == FleetDatabase.Postgres ? TimeSpan.FromSeconds(10) : TimeSpan.FromSeconds(2);

    /// <summary>
    /// The read journal's polling settings, from the two values above: the one place both configuration routes
    /// (<see cref="Hosting.FleetHocon"/> and the Akka.Hosting builder) take them from.
    /// </summary>
    public string ReadJournalHocon()
    {
        var refresh = (long)Math.Max(1, QueryRefreshInterval.TotalMilliseconds);
        var tries = (long)Math.Ceiling(FeedGapPatience.TotalMilliseconds / refresh);
        return $"""
            akka.persistence.query.journal.sql.refresh-interval = {refresh}ms
            akka.persistence.query.journal.sql.journal-sequence-retrieval.query-delay = {refresh}ms
            akka.persistence.query.journal.sql.journal-sequence-retrieval.max-tries = {Math.Max(1, tries)}
            """;
    }
}
