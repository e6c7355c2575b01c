namespace FleetOrchestrator.Orchestration.Rollouts.Messages;

/// <summary>Devices that match the target after the start (provisioned later, or now matching).</summary>
public sealed record DevicesJoined(string RolloutId, IReadOnlyList<string> DeviceIds,
    IReadOnlyDictionary<string, string>? TimeZones = null) : IWithRolloutId, IRolloutMessage;
