using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.ReadModel;
using FleetOrchestrator.Orchestration.Rollouts.Planning;

namespace FleetOrchestrator.Orchestration.Tests.Support;

/// <summary>Devices of the fleet as a rollout plan sees them (a read-model row and tags).</summary>
public static class PlanCandidates
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 0, 0, 0, TimeSpan.Zero);

    /// <param name="rom">Null: the device never reported.</param>
    public static PlanCandidate Device(string id, string? rom = "4.1", SemanticVersion? running = null,
        string? region = "eu", string? cell = null, SagaPhase phase = SagaPhase.None, string? rolloutId = null,
        string? timeZone = null)
    {
        var row = FleetDeviceRow.Empty(id, T0) with
        {
            RunningVersion = rom is null ? null : running ?? Fleet.Old,
            HardwareTarget = rom is null ? null : "stm32l072cz",
            Phase = phase,
            RolloutId = rolloutId,
            UpdateId = phase == SagaPhase.None ? null : "u-x",
        };
        row = row with { Hardware = rom is null ? null : Fleet.Hardware(rom: rom) };
        var tags = new Dictionary<string, string>();
        if (region is not null) tags["region"] = region;
        if (cell is not null) tags["cell"] = cell;
        if (timeZone is not null) tags[RolloutPlanner.TimeZoneTag] = timeZone;
        return new PlanCandidate(row, tags);
    }
}
