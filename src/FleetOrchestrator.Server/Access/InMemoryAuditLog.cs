namespace FleetOrchestrator.Server.Access;

/// <summary>The audit trail in memory, for hosts without a database (the server's tests, simulation rigs).</summary>
public sealed class InMemoryAuditLog : IAuditLog
{
    private readonly Lock _lock = new();
    private readonly List<AuditRecord> _records = [];

    public Task AppendAsync(AuditRecord record, CancellationToken cancellationToken = default)
    {
        lock (_lock) _records.Add(record);
        return Task.CompletedTask;
    }

    public Task<AuditSlice> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        lock (_lock)
        {
            // The position of a record is its index + 1, as a database's identity column would number it.
            var matches = _records.Select((r, i) => (Record: r, Position: (long)i + 1))
                .Where(m => query.Before is not { } before || m.Position < before)
                .Where(m => query.Since is not { } since || m.Record.At >= since)
                .Where(m => query.Actor is not { } actor || m.Record.Actor == actor)
                .Where(m => query.Action is not { } action || AuditActions.Matches(m.Record.Action, action))
                .Reverse()
                .Take(query.Limit + 1)
                .ToList();
            var page = matches.Take(query.Limit).ToList();
            return Task.FromResult(new AuditSlice([.. page.Select(m => m.Record)],
                matches.Count > query.Limit ? page[^1].Position : null));
        }
    }
}
