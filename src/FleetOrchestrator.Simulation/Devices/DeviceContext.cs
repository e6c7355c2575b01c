using FleetOrchestrator.Simulation.Faults;
using FleetOrchestrator.Simulation.Links;

namespace FleetOrchestrator.Simulation.Devices;

/// <summary>The per-device pieces the device's helpers share: link, clock, faults, its seeded randomness, counters.</summary>
internal sealed class DeviceContext(LinkProfile link, TimeCompression time, DeviceFaults faults, FaultSettings faultSettings, int seed)
{
    private readonly Random _random = new(seed);
    private readonly Lock _randomGate = new();
    private long _bootEpoch;

    public LinkProfile Link { get; } = link;
    public TimeCompression Time { get; } = time;
    public DeviceFaults Faults { get; } = faults;
    public FaultSettings FaultSettings { get; } = faultSettings;
    public DeviceCounters Counters { get; } = new();

    /// <summary>The MCU's reset count the link has caught up with; seq's high half (PROTOCOL.md §7.3).</summary>
    public long BootEpoch
    {
        get => Interlocked.Read(ref _bootEpoch);
        set => Interlocked.Exchange(ref _bootEpoch, value);
    }

    /// <summary>True with probability <paramref name="p"/> (never for p ≤ 0, so fault-free runs draw nothing).</summary>
    public bool Chance(double p)
    {
        if (p <= 0) return false;
        lock (_randomGate) return _random.NextDouble() < p;
    }

    /// <summary>A uniform fraction of <paramref name="span"/>.</summary>
    public TimeSpan Fraction(TimeSpan span)
    {
        if (span <= TimeSpan.Zero) return TimeSpan.Zero;
        lock (_randomGate) return span * _random.NextDouble();
    }
}
