namespace FleetOrchestrator.Simulation.Faults;

/// <summary>Parameters of the device-side faults, in simulated time.</summary>
public sealed record FaultSettings
{
    /// <summary>How long an offline-during-swap device stays away after its swap ack (beyond its normal reboot).</summary>
    public TimeSpan OfflineDuringSwap { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long power stays off after an injected power cut.</summary>
    public TimeSpan PowerOffDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Chance, per event of a reordered-messages device, that it is held back and sent after the next one.</summary>
    public double ReorderProbability { get; init; } = 0.25;

    /// <summary>Power cuts are placed uniformly in 1..this many operations from the start of the first download.</summary>
    public long PowerCutOperationRange { get; init; } = 2320;

    public static FaultSettings Default { get; } = new();
}
