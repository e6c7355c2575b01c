namespace FleetOrchestrator.L072.Memory;

/// <summary>
/// One device's view of a memory region as page indices into a <see cref="PagePool"/>. The index array itself is
/// copy-on-write: a table started from a <see cref="BankContent"/> shares that array until its first write, so a
/// device that holds a common image costs nothing for that region.
/// </summary>
internal sealed class PageTable
{
    private int[] _pages;
    private bool _owned;

    // One shared all-erased table per size: a region nobody wrote costs nothing per device.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, int[]> Erased = new();

    public PageTable(int pageCount)
    {
        _pages = Erased.GetOrAdd(pageCount, n => new int[n]); // all PagePool.ErasedPage
        _owned = false;
    }

    public int PageCount => _pages.Length;

    public int this[int page] => _pages[page];

    public void Set(int page, int poolIndex)
    {
        if (_pages[page] == poolIndex) return;
        if (!_owned)
        {
            _pages = (int[])_pages.Clone();
            _owned = true;
        }
        _pages[page] = poolIndex;
    }

    /// <summary>Makes this table share <paramref name="content"/> (no copy until written).</summary>
    public void Load(BankContent content)
    {
        if (content.PageCount != _pages.Length)
            throw new ArgumentException($"content has {content.PageCount} pages, the region {_pages.Length}", nameof(content));
        _pages = content.Pages;
        _owned = false;
    }

    /// <summary>Freezes the current content so other devices can share it.</summary>
    public BankContent Freeze()
    {
        _owned = false;
        return new BankContent(_pages);
    }

    /// <summary>Bytes this table owns privately (0 while it still shares its array).</summary>
    public int PrivateBytes => _owned ? _pages.Length * sizeof(int) : 0;
}
