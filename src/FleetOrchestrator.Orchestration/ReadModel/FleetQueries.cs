using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.Orchestration.Devices;

namespace FleetOrchestrator.Orchestration.ReadModel;

/// <summary>Every criterion is optional (null = any). Results are ordered by device id; page with Skip/Take.</summary>
public sealed record FleetFilter
{
    public SemanticVersion? RunningVersion { get; init; }
    public SagaPhase? Phase { get; init; }
    public UpdateOutcome? Outcome { get; init; }
    public bool? Online { get; init; }
    public string? RolloutId { get; init; }
    public string? UpdateId { get; init; }
    public string? HardwareTarget { get; init; }
    public int Skip { get; init; }
    public int Take { get; init; } = 100;

    public static FleetFilter All { get; } = new() { Take = int.MaxValue };

    public bool Matches(FleetDeviceRow row) =>
        (RunningVersion is null || row.RunningVersion == RunningVersion)
        && (Phase is null || row.Phase == Phase)
        && (Outcome is null || row.Outcome == Outcome)
        && (Online is null || row.Online == Online)
        && (RolloutId is null || row.RolloutId == RolloutId)
        && (UpdateId is null || row.UpdateId == UpdateId)
        && (HardwareTarget is null || string.Equals(row.HardwareTarget, HardwareTarget, StringComparison.OrdinalIgnoreCase));
}

/// <summary>Asks the FleetView for the devices matching <see cref="Filter"/>.</summary>
public sealed record QueryFleet(FleetFilter Filter);

/// <param name="Total">Matches before paging.</param>
/// <param name="EventsApplied">How many journal events the view has applied (a freshness hint).</param>
public sealed record FleetQueryResult(IReadOnlyList<FleetDeviceRow> Devices, int Total, long EventsApplied);

/// <summary>One device's row, or null when the orchestrator never heard of it.</summary>
public sealed record GetFleetDevice(string DeviceId);

public sealed record FleetDeviceResult(FleetDeviceRow? Device);

/// <summary>Counts over the whole fleet (or the filtered part of it).</summary>
public sealed record GetFleetSummary(FleetFilter? Filter = null);

public sealed record FleetSummary(
    int Devices,
    IReadOnlyDictionary<string, int> ByRunningVersion,
    IReadOnlyDictionary<SagaPhase, int> ByPhase,
    IReadOnlyDictionary<UpdateOutcome, int> ByOutcome,
    long EventsApplied);
