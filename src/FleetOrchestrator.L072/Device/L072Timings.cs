namespace FleetOrchestrator.L072.Device;

/// <summary>
/// Simulated durations, added to the device clock (never slept). Flash figures are the 3.2 ms typical of
/// reference §2 (max ≈ 3.94 ms); EEPROM and option-byte figures are [UNVERIFIED] estimates.
/// </summary>
public sealed record L072Timings
{
    public TimeSpan PageErase { get; init; } = TimeSpan.FromMilliseconds(3.2);
    public TimeSpan WordProgram { get; init; } = TimeSpan.FromMilliseconds(3.2);
    public TimeSpan HalfPageProgram { get; init; } = TimeSpan.FromMilliseconds(3.2);
    /// <summary>[UNVERIFIED] EEPROM word/byte write with erase.</summary>
    public TimeSpan EepromWrite { get; init; } = TimeSpan.FromMilliseconds(3.2);
    /// <summary>[UNVERIFIED] option-byte word write = erase + program of the OB word.</summary>
    public TimeSpan OptionByteWrite { get; init; } = TimeSpan.FromMilliseconds(6.4);
    /// <summary>Reset + option-byte load + ROM/startup until firmware runs. [UNVERIFIED] estimate.</summary>
    public TimeSpan Boot { get; init; } = TimeSpan.FromMilliseconds(5);
    /// <summary>CRC unit: one 32-bit word per few AHB cycles at 32 MHz.</summary>
    public TimeSpan CrcPerWord { get; init; } = TimeSpan.FromTicks(1); // 100 ns

    public static L072Timings Typical { get; } = new();
}
