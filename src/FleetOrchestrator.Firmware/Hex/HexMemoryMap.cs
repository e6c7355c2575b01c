using System.Buffers;

namespace FleetOrchestrator.Firmware.Hex;

/// <summary>
/// Sparse 32-bit address space the reader writes records into. Remembers which line wrote each byte so that a
/// conflicting overlap can name both lines. Pages keep memory proportional to the data actually present.
/// </summary>
internal sealed class HexMemoryMap
{
    private const int PageBits = 12;
    private const int PageSize = 1 << PageBits;
    private readonly Dictionary<uint, Page> _pages = [];

    private sealed class Page
    {
        public readonly byte[] Data = new byte[PageSize];
        public readonly int[] Line = new int[PageSize]; // 0 = never written
    }

    /// <summary>A byte two records disagree on.</summary>
    public readonly record struct Conflict(uint Address, byte Value, int EarlierLine, byte EarlierValue);

    /// <summary>Writes <paramref name="data"/> at <paramref name="address"/> (the caller guarantees no wrap past 2^32).</summary>
    public Conflict? Write(uint address, ReadOnlySpan<byte> data, int line)
    {
        while (!data.IsEmpty)
        {
            uint key = address >> PageBits;
            if (!_pages.TryGetValue(key, out var page))
            {
                page = new Page();
                _pages.Add(key, page);
            }
            int start = (int)(address & (PageSize - 1));
            int n = Math.Min(data.Length, PageSize - start);
            for (int i = 0; i < n; i++)
            {
                int at = start + i;
                if (page.Line[at] != 0)
                {
                    // Re-writing the same byte is what tools that emit duplicate records do; harmless.
                    if (page.Data[at] != data[i]) return new Conflict(address + (uint)i, data[i], page.Line[at], page.Data[at]);
                    continue;
                }
                page.Data[at] = data[i];
                page.Line[at] = line;
            }
            data = data[n..];
            address += (uint)n;
        }
        return null;
    }

    public IReadOnlyList<HexSegment> ToSegments()
    {
        var segments = new List<HexSegment>();
        var run = new ArrayBufferWriter<byte>();
        long runStart = 0, next = -1;
        foreach (var key in _pages.Keys.Order())
        {
            var page = _pages[key];
            long pageBase = (long)key << PageBits;
            int i = 0;
            while (i < PageSize)
            {
                if (page.Line[i] == 0)
                {
                    i++;
                    continue;
                }
                int end = i;
                while (end < PageSize && page.Line[end] != 0) end++;
                if (pageBase + i != next && run.WrittenCount > 0)
                {
                    segments.Add(new HexSegment((uint)runStart, run.WrittenSpan.ToArray()));
                    run.ResetWrittenCount();
                }
                if (run.WrittenCount == 0) runStart = pageBase + i;
                run.Write(page.Data.AsSpan(i, end - i));
                next = pageBase + end;
                i = end;
            }
        }
        if (run.WrittenCount > 0) segments.Add(new HexSegment((uint)runStart, run.WrittenSpan.ToArray()));
        return segments;
    }
}
