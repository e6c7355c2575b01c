using FleetOrchestrator.Orchestration.Rollouts.Effects;
using FleetOrchestrator.Orchestration.Rollouts.Events;

namespace FleetOrchestrator.Orchestration.Rollouts.Decisions;

/// <summary>What one input leads to: events to persist (all at once), effects to run after them, the reply.</summary>
public sealed record RolloutDecision(
    IReadOnlyList<IRolloutEvent> Events,
    IReadOnlyList<RolloutEffect> Effects,
    object? Reply);
