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

    /// <summary>Writes one byte; returns the earlier line and byte when a different value was already there.</summary>
    public (int Line, byte Value)? Write(uint address, byte value, int line)
    {
        uint key = address >> PageBits;
        if (!_pages.TryGetValue(key, out var page))
        {
            page = new Page();
            _pages.Add(key, page);
        }
        int i = (int)(address & (PageSize - 1));
        if (page.Line[i] != 0)
        {
            // Re-writing the same byte is what tools that emit duplicate records do; harmless.
            return page.Data[i] == value ? null : (page.Line[i], page.Data[i]);
        }
        page.Data[i] = value;
        page.Line[i] = line;
        return null;
    }

    public IReadOnlyList<HexSegment> ToSegments()
    {
        var segments = new List<HexSegment>();
        var run = new List<byte>();
        long runStart = -1, next = -1;
        foreach (var key in _pages.Keys.Order())
        {
            var page = _pages[key];
            long pageBase = (long)key << PageBits;
            for (int i = 0; i < PageSize; i++)
            {
                if (page.Line[i] == 0) continue;
                long address = pageBase + i;
                if (address != next && run.Count > 0)
                {
                    segments.Add(new HexSegment((uint)runStart, run.ToArray()));
                    run.Clear();
                }
                if (run.Count == 0) runStart = address;
                run.Add(page.Data[i]);
                next = address + 1;
            }
        }
        if (run.Count > 0) segments.Add(new HexSegment((uint)runStart, run.ToArray()));
        return segments;
    }
}
