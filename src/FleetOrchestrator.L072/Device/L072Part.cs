namespace FleetOrchestrator.L072.Device;

/// <summary>
/// Flash geometry of an STM32L072 sales type (reference §1): 192 KB in two 96 KB banks (xZ), 128 KB in two 64 KB
/// banks (xB, bank 2 at 0x0801_0000), or 64 KB single bank (x8, no dual-bank boot). Data EEPROM is modelled as two
/// 3 KB banks on every part (the x8's EEPROM size is not in the reference: [UNVERIFIED], kept as a parameter).
/// </summary>
public sealed record L072Part(string Name, int FlashSizeKb, int BankCount, int EepromBankBytes = 3 * 1024, int EepromBankCount = 2)
{
    public const uint FlashBase = 0x0800_0000;
    public const uint EepromBase = 0x0808_0000;
    public const int PageSize = 128;
    public const int HalfPageSize = 64;

    public static L072Part Xz192K { get; } = new("stm32l072cz", 192, 2);
    public static L072Part Xb128K { get; } = new("stm32l072cb", 128, 2);
    public static L072Part X8SingleBank64K { get; } = new("stm32l072c8", 64, 1);

    public int FlashBytes => FlashSizeKb * 1024;
    public int BankBytes => FlashBytes / BankCount;
    public int PagesPerBank => BankBytes / PageSize;
    public bool IsDualBank => BankCount == 2;
    /// <summary>Logical address of the second bank (the inactive bank when dual-bank): base + size/2 as HAL computes it.</summary>
    public uint Bank2Address => FlashBase + (uint)BankBytes;
    public int EepromPagesPerBank => EepromBankBytes / PageSize;
}
