using System.Globalization;

namespace FleetOrchestrator.Firmware.Images;

/// <summary>
/// Which ROM (system-memory) bootloader versions boot the second bank (BFB2). The one place this rule lives: the L072
/// model's boot logic and the orchestrator's preflight both ask it. L072/073/082/083 carry V4.x: V4.0 ignores BFB2,
/// V4.1 adds dual-bank boot; L071/L081 carry V11.x: V11.2 adds it (AN2606 Tables 149/151, reference §5).
/// </summary>
public static class L072RomBootloader
{
    public static bool SupportsDualBankBoot(int major, int minor) =>
        (major == 4 && minor >= 1) || (major == 11 && minor >= 2);

    /// <summary>
    /// The rule for the version as a device reports it (<c>"d.d"</c>, PROTOCOL.md §6.3). A version that does not parse
    /// is not known to boot bank 2, so it counts as not supporting it.
    /// </summary>
    public static bool SupportsDualBankBoot(string? version)
    {
        var parts = version?.Split('.');
        return parts is [var major, var minor]
               && int.TryParse(major, NumberStyles.None, CultureInfo.InvariantCulture, out var ma)
               && int.TryParse(minor, NumberStyles.None, CultureInfo.InvariantCulture, out var mi)
               && SupportsDualBankBoot(ma, mi);
    }
}
