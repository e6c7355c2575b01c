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
}
