using System.Runtime.InteropServices;

namespace FleetOrchestrator.L072.Memory;

/// <summary>
/// CRC-unit results over runs of pages of one <see cref="PagePool"/>, remembered by content. Page indices are content
/// (hash-consing), so a run of indices names its bytes exactly, and a fleet that staged the same image computes its CRC
/// once instead of once per device and check (five 96 KB CRCs per device per update, about 3 % of a 10,000-device
/// simulation's CPU).
/// </summary>
/// <remarks>
/// A pure cache: a hit returns what the computation would, and callers charge the same simulated time either way.
/// Bounded: past <see cref="Capacity"/> runs it starts again from empty (a simulation holds a few images).
/// </remarks>
public sealed class PageRunCrcMemo
{
    public const int Capacity = 1024;

    private sealed record Run(int[] Pages, int FirstOffset, int Length, uint Crc);

    private readonly Lock _gate = new();
    private readonly Dictionary<int, Run> _runs = new();
    private long _hits;
    private long _misses;

    public long Hits => Interlocked.Read(ref _hits);
    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>The CRC of <paramref name="length"/> bytes starting <paramref name="firstOffset"/> bytes into the first of <paramref name="pages"/>, if known.</summary>
    public bool TryGet(ReadOnlySpan<int> pages, int firstOffset, int length, out uint crc)
    {
        int key = Key(pages, firstOffset, length);
        lock (_gate)
        {
            if (_runs.TryGetValue(key, out var run) && run.FirstOffset == firstOffset && run.Length == length && pages.SequenceEqual(run.Pages))
            {
                crc = run.Crc;
                _hits++;
                return true;
            }
            _misses++;
        }
        crc = 0;
        return false;
    }

    public void Add(ReadOnlySpan<int> pages, int firstOffset, int length, uint crc)
    {
        var run = new Run(pages.ToArray(), firstOffset, length, crc);
        int key = Key(pages, firstOffset, length);
        lock (_gate)
        {
            if (_runs.Count >= Capacity) _runs.Clear();
            _runs[key] = run;
        }
    }

    // Two runs with the same key only share a slot: a hit also compares the pages themselves.
    private static int Key(ReadOnlySpan<int> pages, int firstOffset, int length)
    {
        var hash = new HashCode();
        hash.Add(firstOffset);
        hash.Add(length);
        hash.AddBytes(MemoryMarshal.AsBytes(pages));
        return hash.ToHashCode();
    }
}
