namespace FleetOrchestrator.L072.Peripherals;

/// <summary>RCC_CSR reset flags (bits 24–31). They accumulate over resets until software writes RMVF or a POR clears them.</summary>
[Flags]
public enum ResetFlags : uint
{
    None = 0,
    Firewall = 1u << 24,
    OptionByteLoad = 1u << 25,
    Pin = 1u << 26,
    PowerOn = 1u << 27,
    Software = 1u << 28,
    IndependentWatchdog = 1u << 29,
    WindowWatchdog = 1u << 30,
    LowPower = 1u << 31,
}
