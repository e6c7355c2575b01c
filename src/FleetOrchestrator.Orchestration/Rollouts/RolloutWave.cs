using System.Collections.Immutable;
using FleetOrchestrator.Orchestration.Rollouts.Policy;

namespace FleetOrchestrator.Orchestration.Rollouts;

/// <summary>One wave of a rollout: its devices (in the order they are commanded), gate, phase and counts.</summary>
public sealed record RolloutWave(
    string Name,
    GatePolicy Gate,
    WavePhase Phase,
    ImmutableList<string> DeviceIds,
    WaveTally Tally,
    DateTimeOffset? StartedAt,
    DateTimeOffset? SoakUntil,
    DateTimeOffset? EndedAt,
    string? HaltReason);
