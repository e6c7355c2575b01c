using Akka;
using Akka.Actor;
using Akka.Persistence.Query;
using Akka.Streams.Dsl;
using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.Rollouts.Actors;
using FleetOrchestrator.Orchestration.Rollouts.Events;

namespace FleetOrchestrator.Orchestration.Feed;

/// <summary>
/// Every rollout event in the journal, in journal order, live, from a stored offset (EventsByTag on
/// <see cref="FleetTags.Rollout"/>), as <see cref="SagaFeed"/> is for device events. At least once around a resume.
/// </summary>
public static class RolloutEventFeed
{
    private static readonly string PersistenceIdPrefix = RolloutActor.PersistenceIdOf("");

    /// <summary>Rollout events after <paramref name="afterOffset"/> (0: from the start), never completing.</summary>
    public static Source<RolloutFeedEvent, NotUsed> From(ActorSystem system, long afterOffset,
        string readJournalPluginId = SagaFeed.DefaultReadJournal)
    {
        var journal = PersistenceQuery.Get(system).ReadJournalFor<IEventsByTagQuery>(readJournalPluginId);
        var offset = afterOffset <= 0 ? Offset.NoOffset() : Offset.Sequence(afterOffset);
        return journal.EventsByTag(FleetTags.Rollout, offset)
            .Select(ToFeedEvent)
            .Where(e => e is not null)
            .Select(e => e!);
    }

    private static RolloutFeedEvent? ToFeedEvent(EventEnvelope envelope) =>
        envelope.Event is IRolloutEvent e
        && envelope.PersistenceId.StartsWith(PersistenceIdPrefix, StringComparison.Ordinal)
            ? new RolloutFeedEvent(envelope.PersistenceId[PersistenceIdPrefix.Length..], envelope.SequenceNr,
                envelope.Offset is Sequence s ? s.Value : 0, e)
            : null;
}
