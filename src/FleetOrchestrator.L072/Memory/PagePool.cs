using System.Buffers.Binary;
using System.Runtime.InteropServices;
using FleetOrchestrator.L072.Device;

namespace FleetOrchestrator.L072.Memory;

/// <summary>
/// Content-addressed store of immutable 128-byte pages (hash-consing). Devices hold page indices, never bytes, so
/// 100,000 devices that carry the same image share one copy of it; writing a page means interning its new content.
/// Pages are never freed: the pool only grows by distinct contents (a few images' worth in practice).
/// Thread-safe: interning takes a lock, reading an index that was handed out needs none.
/// </summary>
public sealed class PagePool
{
    public const int PageSize = 128;
    /// <summary>Index of the all-0x00 page: the L072's erased state, so a fresh page table (all zeros) is erased.</summary>
    public const int ErasedPage = 0;

    private const int ChunkShift = 13; // 8192 pages (1 MB) per chunk: growth never moves existing pages
    private const int ChunkPages = 1 << ChunkShift;

    private readonly object _gate = new();
    private readonly Dictionary<ulong, int> _firstByHash = new();
    private byte[][] _chunks = [new byte[ChunkPages * PageSize]];
    private int[] _nextSameHash = new int[ChunkPages];
    private int _count;

    /// <summary>The process-wide pool every device uses unless given its own.</summary>
    public static PagePool Shared { get; } = new();

    public PagePool()
    {
        Intern(new byte[PageSize]); // index 0 = erased
    }

    /// <summary>CRC-unit results over runs of this pool's pages (<see cref="L072Device.ComputeFlashCrc"/>).</summary>
    public PageRunCrcMemo Crcs { get; } = new();

    /// <summary>Distinct pages held.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Bytes held by page contents (excluding the hash index).</summary>
    public long ContentBytes => (long)Count * PageSize;

    /// <summary>The bytes of page <paramref name="index"/>; valid forever.</summary>
    public ReadOnlySpan<byte> Get(int index)
    {
        var chunks = Volatile.Read(ref _chunks);
        return new ReadOnlySpan<byte>(chunks[index >> ChunkShift], (index & (ChunkPages - 1)) * PageSize, PageSize);
    }

    /// <summary>Returns the index of a page with exactly these 128 bytes, adding it when new.</summary>
    public int Intern(ReadOnlySpan<byte> page)
    {
        if (page.Length != PageSize) throw new ArgumentException($"a page is {PageSize} bytes, got {page.Length}", nameof(page));
        ulong hash = Hash(page);
        lock (_gate)
        {
            bool seenHash = _firstByHash.TryGetValue(hash, out int candidate);
            if (seenHash)
            {
                for (int i = candidate; i >= 0; i = _nextSameHash[i])
                    if (Get(i).SequenceEqual(page)) return i;
            }
            int index = _count;
            int chunk = index >> ChunkShift;
            if (chunk == _chunks.Length)
            {
                var grown = new byte[_chunks.Length + 1][];
                Array.Copy(_chunks, grown, _chunks.Length);
                grown[chunk] = new byte[ChunkPages * PageSize];
                Volatile.Write(ref _chunks, grown);
                Array.Resize(ref _nextSameHash, grown.Length * ChunkPages);
            }
            page.CopyTo(_chunks[chunk].AsSpan((index & (ChunkPages - 1)) * PageSize, PageSize));
            _nextSameHash[index] = seenHash ? candidate : -1;
            _firstByHash[hash] = index;
            Volatile.Write(ref _count, index + 1);
            return index;
        }
    }

    /// <summary>Interns a whole bank's worth of bytes (zero-padded to whole pages) into a frozen page table.</summary>
    public BankContent InternContent(ReadOnlySpan<byte> bytes, int pageCount)
    {
        if (bytes.Length > pageCount * PageSize)
            throw new ArgumentException($"{bytes.Length} bytes do not fit in {pageCount} pages of {PageSize} bytes", nameof(bytes));
        var pages = new int[pageCount];
        Span<byte> buffer = stackalloc byte[PageSize];
        for (int p = 0; p < pageCount; p++)
        {
            int start = p * PageSize;
            if (start >= bytes.Length) break; // the rest stays ErasedPage
            buffer.Clear();
            bytes.Slice(start, Math.Min(PageSize, bytes.Length - start)).CopyTo(buffer);
            pages[p] = Intern(buffer);
        }
        return new BankContent(pages);
    }

    private static ulong Hash(ReadOnlySpan<byte> page)
    {
        var words = MemoryMarshal.Cast<byte, ulong>(page);
        ulong h = 0x9E37_79B9_7F4A_7C15;
        foreach (ulong w in words)
        {
            h ^= BinaryPrimitives.ReverseEndianness(w) + 0x9E37_79B9_7F4A_7C15 + (h << 6) + (h >> 2);
            h *= 0xBF58_476D_1CE4_E5B9;
        }
        return h ^ (h >> 31);
    }
}
