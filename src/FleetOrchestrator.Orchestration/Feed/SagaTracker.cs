using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.Devices.Events;
using FleetOrchestrator.Orchestration.Devices.Messages;
using FleetOrchestrator.Orchestration.ReadModel;

namespace FleetOrchestrator.Orchestration.Feed;

/// <summary>
/// Follows the saga feed for one consumer: keeps each device's <see cref="FleetDeviceRow"/> (the same pure
/// <see cref="FleetProjection"/> the read model uses) and says when an event concludes a saga, with the update and
/// rollout it belonged to (saga events after <see cref="UpdateRequested"/> do not repeat them). Repeated events
/// (at or below a device's last sequence number) change nothing and conclude nothing, so a consumer that resumes
/// before its stored offset counts every outcome once.
/// </summary>
public sealed class SagaTracker
{
    private readonly Dictionary<string, (FleetDeviceRow Row, long SequenceNr)> _devices = new(StringComparer.Ordinal);

    /// <summary>
    /// Starts from rows a consumer already knows (its own store, or the read model at the offset it resumes from).
    /// </summary>
    public void Seed(FleetDeviceRow row, long sequenceNr) => _devices[row.DeviceId] = (row, sequenceNr);

    /// <summary>How many devices the tracker has heard of.</summary>
    public int Count => _devices.Count;

    public IEnumerable<FleetDeviceRow> Rows => _devices.Values.Select(d => d.Row);

    /// <summary>Applies one feed event; returns the outcome when it concluded a saga, else null.</summary>
    public SagaOutcome? Apply(DeviceFeedEvent e)
    {
        var known = _devices.TryGetValue(e.DeviceId, out var current);
        if (known && e.SequenceNr <= current.SequenceNr) return null;
        var before = known ? current.Row : FleetDeviceRow.Empty(e.DeviceId, e.Event.At);
        var after = FleetProjection.Apply(before, e.Event);
        _devices[e.DeviceId] = (after, e.SequenceNr);
        return Concludes(before, after, e.Event)
            ? new SagaOutcome(e.DeviceId, after.UpdateId!, after.RolloutId, after.Outcome!.Value, after.OutcomeReason,
                e.Event.At)
            : null;
    }

    /// <summary>The row of a device, or null when the feed has not mentioned it.</summary>
    public FleetDeviceRow? RowOf(string deviceId) => _devices.TryGetValue(deviceId, out var d) ? d.Row : null;

    /// <summary>
    /// As the device actor decides it: a saga event (not an observation) that moves the saga to Completed, or that
    /// changes a completed saga's outcome (a revert after the commit turns Updated into RevertedAfterCommit: a consumer
    /// counts it as replacing the Updated it follows).
    /// </summary>
    private static bool Concludes(FleetDeviceRow before, FleetDeviceRow after, IDeviceActorEvent e) =>
        e is not (DeviceStateObserved or DevicePresenceObserved or DeviceBootObserved)
        && after is { Phase: SagaPhase.Completed, Outcome: not null, UpdateId: not null }
        && (before.Phase != SagaPhase.Completed || before.UpdateId != after.UpdateId
            || before.Outcome != after.Outcome);
}
