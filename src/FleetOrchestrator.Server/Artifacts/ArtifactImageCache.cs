using System.Collections.Concurrent;

namespace FleetOrchestrator.Server.Artifacts;

/// <summary>
/// Image bytes kept in memory so a rollout's thousands of downloads of the same artifact never touch the disk.
/// Bounded by a byte budget; when over it, the least recently served images leave first.
/// </summary>
internal sealed class ArtifactImageCache(long budgetBytes)
{
    private sealed class Entry(byte[] bytes)
    {
        public byte[] Bytes { get; } = bytes;
        public long LastUse;
    }

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _evictionLock = new();
    private long _totalBytes;
    private long _clock;

    public long TotalBytes => Interlocked.Read(ref _totalBytes);

    public int Count => _entries.Count;

    public byte[] GetOrLoad(string id, Func<string, byte[]> load)
    {
        if (_entries.TryGetValue(id, out var hit))
        {
            Volatile.Write(ref hit.LastUse, Interlocked.Increment(ref _clock));
            return hit.Bytes;
        }
        var entry = new Entry(load(id)) { LastUse = Interlocked.Increment(ref _clock) };
        // An image larger than the whole budget is served but not kept.
        if (entry.Bytes.Length > budgetBytes) return entry.Bytes;
        if (_entries.TryAdd(id, entry))
        {
            Interlocked.Add(ref _totalBytes, entry.Bytes.Length);
            EvictOverBudget();
            return entry.Bytes;
        }
        return _entries.TryGetValue(id, out var raced) ? raced.Bytes : entry.Bytes;
    }

    public void Remove(string id)
    {
        if (_entries.TryRemove(id, out var removed)) Interlocked.Add(ref _totalBytes, -removed.Bytes.Length);
    }

    private void EvictOverBudget()
    {
        if (TotalBytes <= budgetBytes) return;
        lock (_evictionLock)
        {
            // Few entries (a budget holds hundreds of 96 KB images at most): a sort per eviction costs nothing next to a disk read.
            foreach (var (id, _) in _entries.OrderBy(e => Volatile.Read(ref e.Value.LastUse)).ToList())
            {
                if (TotalBytes <= budgetBytes) break;
                Remove(id);
            }
        }
    }
}
