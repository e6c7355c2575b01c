using FleetOrchestrator.Orchestration.Persistence;
using FleetOrchestrator.Server.Hosting;
using LinqToDB;
using LinqToDB.Data;

namespace FleetOrchestrator.Host.SharedState;

/// <summary>
/// <see cref="ISharedServerSecrets"/> in the orchestrator's database (table <c>shared_secrets</c>, SQLite or
/// PostgreSQL). The first writer wins through <c>INSERT … ON CONFLICT DO NOTHING</c> (both databases have it), and
/// every caller then reads the one stored value: two nodes starting at once end up with one key.
/// </summary>
public sealed class DatabaseServerSecrets : ISharedServerSecrets
{
    private readonly DataOptions _data;
    private readonly Lazy<bool> _schema;

    public DatabaseServerSecrets(FleetPersistenceOptions persistence)
    {
        ArgumentNullException.ThrowIfNull(persistence);
        _data = FleetDataOptions.Create(persistence);
        _schema = new Lazy<bool>(CreateSchema, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public string? Find(string name)
    {
        _ = _schema.Value;
        using var db = new DataConnection(_data);
        return db.GetTable<SharedSecretRecord>().Where(s => s.Name == name).Select(s => s.Value).FirstOrDefault();
    }

    public string GetOrAdd(string name, Func<string> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        if (Find(name) is { } stored) return stored;
        using (var db = new DataConnection(_data))
        {
            db.Execute(
                "INSERT INTO shared_secrets (name, value, created_ticks) VALUES (@name, @value, @ticks) " +
                "ON CONFLICT (name) DO NOTHING",
                new DataParameter("name", name, DataType.NVarChar),
                new DataParameter("value", create(), DataType.NVarChar),
                new DataParameter("ticks", DateTime.UtcNow.Ticks, DataType.Int64));
        }
        return Find(name)
               ?? throw new InvalidOperationException($"shared_secrets: '{name}' was stored but reads back as absent");
    }

    public void Replace(string name, string value)
    {
        _ = _schema.Value;
        using var db = new DataConnection(_data);
        db.InsertOrReplace(new SharedSecretRecord { Name = name, Value = value, CreatedTicks = DateTime.UtcNow.Ticks });
    }

    private bool CreateSchema() => SharedSchema.Create<SharedSecretRecord>(_data);
}
