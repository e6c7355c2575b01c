using System.Reflection;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.Persistence.Sql.Config;
using FleetOrchestrator.Orchestration.Persistence;

namespace FleetOrchestrator.Orchestration.Hosting;

/// <summary>
/// The plain-HOCON route: the files of the top-level hocon/ folder (embedded in this assembly) plus the connection
/// string. The Akka.Hosting builder extensions produce the same settings; use whichever the host prefers.
/// </summary>
public static class FleetHocon
{
    /// <summary>One of "base", "persistence-sqlite", "persistence-postgres", "cluster".</summary>
    public static Config Load(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"hocon/{name}.conf")
            ?? throw new ArgumentException($"no HOCON file hocon/{name}.conf is embedded in {typeof(FleetHocon).Assembly.GetName().Name}", nameof(name));
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString(reader.ReadToEnd());
    }

    public static Config Base => Load("base");

    public static Config Cluster => Load("cluster");

    /// <summary>The persistence file for the database, with the real connection string written into every plugin.</summary>
    public static Config Persistence(FleetPersistenceOptions options)
    {
        var file = Load(options.Database == FleetDatabase.Sqlite ? "persistence-sqlite" : "persistence-postgres");
        var cs = Quote(options.ConnectionString);
        var overrides = $$"""
            akka.persistence.journal.sql.connection-string = {{cs}}
            akka.persistence.journal.sharding.connection-string = {{cs}}
            akka.persistence.snapshot-store.sql.connection-string = {{cs}}
            akka.persistence.snapshot-store.sharding.connection-string = {{cs}}
            akka.persistence.query.journal.sql.connection-string = {{cs}}
            {{options.ReadJournalHocon()}}
            """;
        return ConfigurationFactory.ParseString(overrides).WithFallback(file);
    }

    /// <summary>Base + persistence + (optionally) cluster, in the order that lets each override the next.</summary>
    public static Config Compose(FleetPersistenceOptions persistence, bool cluster) =>
        cluster ? Persistence(persistence).WithFallback(Cluster).WithFallback(Base) : Persistence(persistence).WithFallback(Base);

    /// <summary>
    /// The actor-system setup for <paramref name="config"/>: prepares the database (SQLite: WAL) and hands the plugins
    /// linq2db options carrying the SQLite pragma interceptor, which HOCON cannot express.
    /// </summary>
    public static ActorSystemSetup Setup(Config config, FleetPersistenceOptions persistence)
    {
        FleetDataOptions.PrepareDatabase(persistence);
        return ActorSystemSetup.Create(BootstrapSetup.Create().WithConfig(config), new DataOptionsSetup(FleetDataOptions.Create(persistence)));
    }

    private static string Quote(string s) => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
