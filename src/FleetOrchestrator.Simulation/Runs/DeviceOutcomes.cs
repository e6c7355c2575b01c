using System.Collections.Concurrent;
using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.Devices.Messages;

namespace FleetOrchestrator.Simulation.Runs;

/// <summary>
/// The outcome a run counts for each device: the first terminal one, except that a revert after the commit replaces
/// the Updated it follows (it is a failure of the update, not a second saga).
/// </summary>
internal sealed class DeviceOutcomes
{
    private readonly ConcurrentDictionary<string, SagaOutcome> _outcomes = new(StringComparer.Ordinal);

    public int Count => _outcomes.Count;

    public IReadOnlyDictionary<string, SagaOutcome> All => _outcomes;

    public bool Contains(string deviceId) => _outcomes.ContainsKey(deviceId);

    /// <summary>True when this is the device's first outcome (a device finished).</summary>
    public bool Record(SagaOutcome outcome)
    {
        if (outcome.Outcome == UpdateOutcome.RevertedAfterCommit)
        {
            var first = !_outcomes.ContainsKey(outcome.DeviceId);
            _outcomes[outcome.DeviceId] = outcome;
            return first;
        }
        return _outcomes.TryAdd(outcome.DeviceId, outcome);
    }
}
