namespace FleetOrchestrator.Server.Access;

/// <summary>The audit trail in memory, for hosts without a database (the server's tests, simulation rigs).</summary>
public sealed class InMemoryAuditLog : IAuditLog
{
    private readonly Lock _lock = new();
    private readonly List<(long Position, AuditRecord Record)> _records = [];
    private long _appended;

    public Task AppendAsync(AuditRecord record, CancellationToken cancellationToken = default)
    {
        // Positions count from 1 in append order, as a database's identity column numbers them.
        lock (_lock) _records.Add((++_appended, record));
        return Task.CompletedTask;
    }

    public Task<AuditSlice> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        lock (_lock)
        {
            var matches = _records
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

    public Task<int> DeleteBeforeAsync(DateTimeOffset cutoff, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        lock (_lock)
        {
            var doomed = _records.Where(m => m.Record.At < cutoff).Take(limit).Select(m => m.Position).ToHashSet();
            return Task.FromResult(_records.RemoveAll(m => doomed.Contains(m.Position)));
        }
    }
}
