using System.Collections.Concurrent;

namespace FleetOrchestrator.Throttling;

/// <summary>
/// Failed sign-ins per key (a remote address): the first <c>freeFailures</c> are answered at once, each further one
/// waits twice as long as the one before, from <c>firstDelay</c> up to <c>maxDelay</c>. A key with no failure for
/// <c>forgetAfter</c> starts over. Successes do not reset it (one valid credential must not buy unlimited guesses at
/// others). Only failures wait: a device that signs in correctly is never slowed by its neighbours' mistakes.
/// Thread-safe; remembers at most <c>maxKeys</c> keys. One source for every project (src/Shared/Throttling).
/// </summary>
internal sealed class FailureBackoff
{
    private readonly TimeProvider _time;
    private readonly int _freeFailures;
    private readonly TimeSpan _firstDelay;
    private readonly TimeSpan _maxDelay;
    private readonly TimeSpan _forgetAfter;
    private readonly int _maxKeys;
    private readonly ConcurrentDictionary<string, Record> _records = new(StringComparer.Ordinal);

    public FailureBackoff(
        TimeProvider time, int freeFailures, TimeSpan firstDelay, TimeSpan maxDelay, TimeSpan forgetAfter,
        int maxKeys = 100_000)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfNegative(freeFailures);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDelay, firstDelay);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(forgetAfter, TimeSpan.Zero);
        _time = time;
        _freeFailures = freeFailures;
        _firstDelay = firstDelay;
        _maxDelay = maxDelay;
        _forgetAfter = forgetAfter;
        _maxKeys = maxKeys;
    }

    /// <summary>Counts a failure for <paramref name="key"/>; returns how long its answer should wait.</summary>
    public TimeSpan RecordFailure(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var now = _time.GetUtcNow();
        if (_records.Count >= _maxKeys && !_records.ContainsKey(key)) Prune(now);
        var record = _records.GetOrAdd(key, _ => new Record());
        int failures;
        lock (record)
        {
            if (now - record.LastFailure >= _forgetAfter) record.Failures = 0;
            record.Failures++;
            record.LastFailure = now;
            failures = record.Failures;
        }
        return DelayAfter(failures);
    }

    /// <summary>The wait for the <paramref name="failures"/>-th failure in a row.</summary>
    public TimeSpan DelayAfter(int failures)
    {
        int beyond = failures - _freeFailures;
        if (beyond <= 0 || _firstDelay <= TimeSpan.Zero) return TimeSpan.Zero;
        // 2^30 first delays exceed any sensible cap; stop doubling before the ticks overflow.
        double ticks = _firstDelay.Ticks * Math.Pow(2, Math.Min(beyond - 1, 30));
        return ticks >= _maxDelay.Ticks ? _maxDelay : TimeSpan.FromTicks((long)ticks);
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (key, record) in _records)
            if (now - record.LastFailure >= _forgetAfter) _records.TryRemove(key, out _);
        if (_records.Count >= _maxKeys) _records.Clear();
    }

    private sealed class Record
    {
        public int Failures;
        public DateTimeOffset LastFailure = DateTimeOffset.MinValue;
    }
}
