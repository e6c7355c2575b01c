using FleetOrchestrator.Orchestration.Rollouts.Events;

namespace FleetOrchestrator.Orchestration.Feed;

/// <summary>One journaled rollout event as <see cref="RolloutEventFeed"/> delivers it.</summary>
/// <param name="SequenceNr">Its sequence number in the rollout's journal: a consumer that stored a higher one for the
/// rollout has seen it already.</param>
/// <param name="Offset">Its position in the tagged journal: store it to resume after this event.</param>
public sealed record RolloutFeedEvent(string RolloutId, long SequenceNr, long Offset, IRolloutEvent Event);
