using FleetOrchestrator.Orchestration.Persistence;
using FleetOrchestrator.Server.Access;
using LinqToDB;
using LinqToDB.Async;
using LinqToDB.Data;

namespace FleetOrchestrator.Host.Access;

/// <summary>
/// The audit trail in the orchestrator's database (table <c>audit_records</c>, beside the journal; SQLite or
/// PostgreSQL): appended by every node, read newest first by position, filtered on indexed columns.
/// </summary>
public sealed class DatabaseAuditLog : IAuditLog
{
    private readonly DataOptions _data;
    private readonly Lazy<Task> _schema;

    public DatabaseAuditLog(FleetPersistenceOptions persistence)
    {
        ArgumentNullException.ThrowIfNull(persistence);
        _data = FleetDataOptions.Create(persistence);
        _schema = new Lazy<Task>(() => Task.Run(CreateSchema), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public async Task AppendAsync(AuditRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        await _schema.Value.ConfigureAwait(false);
        await using var db = new DataConnection(_data);
        await db.InsertAsync(AuditRow.From(record), token: cancellationToken).ConfigureAwait(false);
    }

    public async Task<AuditSlice> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await _schema.Value.ConfigureAwait(false);
        await using var db = new DataConnection(_data);
        var rows = db.GetTable<AuditRow>().AsQueryable();
        if (query.Before is { } before) rows = rows.Where(r => r.Position < before);
        if (query.Since is { } since)
        {
            var ticks = since.UtcTicks;
            rows = rows.Where(r => r.AtTicks >= ticks);
        }
        if (query.Actor is { } actor) rows = rows.Where(r => r.Actor == actor);
        if (query.Action is { } action)
        {
            // AuditActions.Matches in SQL: the action itself or a name under it.
            var under = action + ".";
            rows = rows.Where(r => r.Action == action || r.Action.StartsWith(under));
        }
        var page = await rows.OrderByDescending(r => r.Position).Take(query.Limit + 1)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var items = page.Take(query.Limit).ToList();
        return new AuditSlice([.. items.Select(r => r.ToRecord())],
            page.Count > query.Limit ? items[^1].Position : null);
    }

    public async Task<int> DeleteBeforeAsync(DateTimeOffset cutoff, int limit,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await _schema.Value.ConfigureAwait(false);
        await using var db = new DataConnection(_data);
        var ticks = cutoff.UtcTicks;
        // A bounded batch by position (the primary key), so one delete never holds the table for long; at_ticks is
        // indexed. Nodes pruning at once delete disjoint or already-deleted rows: the count is what this one removed.
        var oldest = db.GetTable<AuditRow>().Where(r => r.AtTicks < ticks).OrderBy(r => r.Position).Take(limit)
            .Select(r => r.Position);
        return await db.GetTable<AuditRow>().Where(r => oldest.Contains(r.Position))
            .DeleteAsync(cancellationToken).ConfigureAwait(false);
    }

    private void CreateSchema()
    {
        using var db = new DataConnection(_data);
        db.CreateTable<AuditRow>(tableOptions: TableOptions.CreateIfNotExists);
        db.Execute("CREATE INDEX IF NOT EXISTS audit_records_actor ON audit_records (actor)");
        db.Execute("CREATE INDEX IF NOT EXISTS audit_records_action ON audit_records (action)");
        db.Execute("CREATE INDEX IF NOT EXISTS audit_records_at ON audit_records (at_ticks)");
    }
}
