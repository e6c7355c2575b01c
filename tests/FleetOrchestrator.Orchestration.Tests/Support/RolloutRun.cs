using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.Rollouts;
using FleetOrchestrator.Orchestration.Rollouts.Decisions;
using FleetOrchestrator.Orchestration.Rollouts.Effects;
using FleetOrchestrator.Orchestration.Rollouts.Events;
using FleetOrchestrator.Orchestration.Rollouts.Messages;

namespace FleetOrchestrator.Orchestration.Tests.Support;

/// <summary>Drives the pure decider: applies each decision's events, collects its effects, keeps a clock.</summary>
public sealed class RolloutRun
{
    public static readonly DateTimeOffset T0 = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    public RolloutState State { get; private set; } = RolloutState.Empty(RolloutFixtures.RolloutId);
    public DateTimeOffset Now { get; private set; } = T0;
    public List<IRolloutEvent> Journal { get; } = [];
    public IReadOnlyList<IRolloutEvent> LastEvents { get; private set; } = [];
    public List<RolloutEffect> Effects { get; } = [];

    public RolloutDecision Do(object input)
    {
        var decision = RolloutDecider.Decide(State, input, Now);
        foreach (var e in decision.Events)
            State = State.Apply(e);
        Journal.AddRange(decision.Events);
        LastEvents = decision.Events;
        Effects.AddRange(decision.Effects);
        return decision;
    }

    public RolloutCommandReply Command(object input) => Assert.IsType<RolloutCommandReply>(Do(input).Reply);

    /// <summary>Starts the rollout and asserts it was accepted.</summary>
    public RolloutRun Started(StartRollout start)
    {
        var reply = Command(start);
        Assert.True(reply.Accepted, reply.Reason);
        return this;
    }

    public void Conclude(string deviceId, UpdateOutcome outcome) =>
        Command(RolloutFixtures.Concluded(State, deviceId, outcome, Now));

    public void ConcludeWave(int wave, UpdateOutcome outcome)
    {
        var running = State.Waves[wave].DeviceIds.Where(id => State.Devices[id].Step == RolloutDeviceStep.Commanded);
        foreach (var id in running.ToList())
            Conclude(id, outcome);
    }

    public void Advance(TimeSpan by)
    {
        Now += by;
        Do(RolloutTick.Instance);
    }

    /// <summary>The effects of type T since the last call (the others stay).</summary>
    public List<T> Take<T>() where T : RolloutEffect
    {
        var taken = Effects.OfType<T>().ToList();
        Effects.RemoveAll(e => e is T);
        return taken;
    }

    public List<string> Started() => Take<StartDeviceUpdate>().Select(s => s.DeviceId).ToList();

    public RolloutWave Wave(int i) => State.Waves[i];
}
