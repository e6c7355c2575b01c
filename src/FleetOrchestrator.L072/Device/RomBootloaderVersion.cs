using FleetOrchestrator.Firmware.Images;

namespace FleetOrchestrator.L072.Device;

/// <summary>
/// Version of the ROM (system-memory) bootloader. L072/073/082/083 carry V4.x: V4.0 has no dual-bank boot, V4.1 adds
/// it; L071/L081 carry V11.x (V11.2 adds it). Reference §5, AN2606 Tables 149/151.
/// </summary>
public readonly record struct RomBootloaderVersion(int Major, int Minor)
{
    public static RomBootloaderVersion V4_0 { get; } = new(4, 0);
    public static RomBootloaderVersion V4_1 { get; } = new(4, 1);
    public static RomBootloaderVersion V11_1 { get; } = new(11, 1);
    public static RomBootloaderVersion V11_2 { get; } = new(11, 2);

    /// <summary>The shared rule (<see cref="L072RomBootloader"/>); the preflight applies it too.</summary>
    public bool SupportsDualBankBoot => L072RomBootloader.SupportsDualBankBoot(Major, Minor);

    public override string ToString() => $"{Major}.{Minor}";
}
