using FleetOrchestrator.Simulation.Faults;
using FleetOrchestrator.Simulation.Links;

namespace FleetOrchestrator.Simulation.Devices;

/// <summary>The per-device pieces the device's helpers share: link, clock, faults, its seeded randomness, counters.</summary>
internal sealed class DeviceContext(LinkProfile link, TimeCompression time, DeviceFaults faults, FaultSettings faultSettings, int seed)
{
    // One stream per activity: the transfer runs beside the command queue, and a shared stream would make the draws
    // depend on how the two interleave. Separate streams keep a run reproducible from its seed.
    private readonly SeededStream _transfer = new(seed);
    private readonly SeededStream _publish = new(unchecked(seed * 31 + 1));
    private readonly SeededStream _commands = new(unchecked(seed * 31 + 2));
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

    /// <summary>Draws for the download: chunk losses.</summary>
    public bool TransferChance(double p) => _transfer.Chance(p);

    /// <summary>Draws for the outbox: publish losses, reordering.</summary>
    public bool PublishChance(double p) => _publish.Chance(p);

    /// <summary>A uniform fraction of <paramref name="span"/>, for a command's wait for its paging slot.</summary>
    public TimeSpan PagingWait(TimeSpan span) => _commands.Fraction(span);

    // The generator is made at the first draw: a fault-free run draws nothing, and 100,000 idle devices would otherwise
    // hold 300,000 generators (about 280 bytes of state each) for nothing. Same seed, same draws.
    private sealed class SeededStream(int seed)
    {
        private readonly Lock _gate = new();
        private Random? _generator;

        private Random Generator => _generator ??= new Random(seed);

        /// <summary>True with probability <paramref name="p"/> (never for p ≤ 0, so fault-free runs draw nothing).</summary>
        public bool Chance(double p)
        {
            if (p <= 0) return false;
            lock (_gate) return Generator.NextDouble() < p;
        }

        public TimeSpan Fraction(TimeSpan span)
        {
            if (span <= TimeSpan.Zero) return TimeSpan.Zero;
            lock (_gate) return span * Generator.NextDouble();
        }
    }
}
