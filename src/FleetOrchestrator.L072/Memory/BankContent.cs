namespace FleetOrchestrator.L072.Memory;

/// <summary>
/// An immutable page table (indices into a <see cref="PagePool"/>): the content of one bank, interned once and then
/// handed to any number of devices, which copy it only when they first write (copy-on-write).
/// </summary>
public sealed class BankContent
{
    internal BankContent(int[] pages) => Pages = pages;

    internal int[] Pages { get; }

    public int PageCount => Pages.Length;
}
