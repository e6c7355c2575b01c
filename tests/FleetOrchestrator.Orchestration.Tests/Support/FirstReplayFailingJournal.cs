using System.Collections.Concurrent;
using Akka.Persistence.Journal;

namespace FleetOrchestrator.Orchestration.Tests.Support;

/// <summary>
/// The in-memory journal, except that the first recovery of each persistence id in <see cref="Failing"/> fails, as
/// recoveries do while the journal's circuit breaker is open (the PostgreSQL journal under a fleet coming online).
/// </summary>
public sealed class FirstReplayFailingJournal : MemoryJournal
{
    public static readonly ConcurrentDictionary<string, int> Failing = new();

    public override Task<long> ReadHighestSequenceNrAsync(string persistenceId, long fromSequenceNr,
        CancellationToken cancellationToken)
    {
        if (Failing.TryGetValue(persistenceId, out var left) && left > 0 && Failing.TryUpdate(persistenceId, 0, left))
            throw new InvalidOperationException($"test journal: the first recovery of {persistenceId} fails");
        return base.ReadHighestSequenceNrAsync(persistenceId, fromSequenceNr, cancellationToken);
    }
}
