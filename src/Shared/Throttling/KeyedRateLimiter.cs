using System.Collections.Concurrent;

namespace FleetOrchestrator.Throttling;

/// <summary>
/// A token bucket per key (a remote address, a client id): up to <c>burst</c> events at once, then one per
/// <c>refillEvery</c>. Used to rate-limit log lines an outsider can provoke, so a flood of bad traffic cannot flood
/// the log; what was held back is counted and reported with the next line let through. Thread-safe; remembers at most
/// <c>maxKeys</c> keys (an attacker choosing keys cannot grow it without bound: when full, idle keys are dropped).
/// Compiled into each project that needs it (src/Shared/Throttling): one source, no shared runtime dependency.
/// </summary>
internal sealed class KeyedRateLimiter
{
    private readonly TimeProvider _time;
    private readonly int _burst;
    private readonly TimeSpan _refillEvery;
    private readonly int _maxKeys;
    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);

    public KeyedRateLimiter(TimeProvider time, int burst, TimeSpan refillEvery, int maxKeys = 10_000)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(burst, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(refillEvery, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxKeys, 1);
        _time = time;
        _burst = burst;
        _refillEvery = refillEvery;
        _maxKeys = maxKeys;
    }

    /// <summary>
    /// True when an event for <paramref name="key"/> may go through now; then <paramref name="suppressed"/> is how
    /// many were refused for it since the last one that went through.
    /// </summary>
    public bool TryAcquire(string key, out int suppressed)
    {
        ArgumentNullException.ThrowIfNull(key);
        var now = _time.GetUtcNow();
        if (_buckets.Count >= _maxKeys && !_buckets.ContainsKey(key)) Prune(now);
        var bucket = _buckets.GetOrAdd(key, _ => new Bucket(_burst, now));
        lock (bucket)
        {
            long refills = (now - bucket.RefilledAt).Ticks / _refillEvery.Ticks;
            if (refills > 0)
            {
                bucket.Tokens = (int)Math.Min(_burst, bucket.Tokens + refills);
                bucket.RefilledAt = bucket.Tokens == _burst ? now : bucket.RefilledAt + _refillEvery * refills;
            }
            if (bucket.Tokens == 0)
            {
                bucket.Suppressed++;
                suppressed = 0;
                return false;
            }
            bucket.Tokens--;
            suppressed = bucket.Suppressed;
            bucket.Suppressed = 0;
            return true;
        }
    }

    private void Prune(DateTimeOffset now)
    {
        // A bucket that would be full again has nothing to remember.
        var idleFor = _refillEvery * _burst;
        foreach (var (key, bucket) in _buckets)
            if (now - bucket.RefilledAt >= idleFor) _buckets.TryRemove(key, out _);
        if (_buckets.Count >= _maxKeys) _buckets.Clear();
    }

    private sealed class Bucket(int tokens, DateTimeOffset at)
    {
        public int Tokens = tokens;
        public DateTimeOffset RefilledAt = at;
        public int Suppressed;
    }
}
