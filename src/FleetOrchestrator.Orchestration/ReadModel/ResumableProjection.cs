using Akka;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using FleetOrchestrator.Orchestration.ReadModel.Storage;

namespace FleetOrchestrator.Orchestration.ReadModel;

/// <summary>
/// The stream every projector of the read store runs: read the stored position, follow a journal feed after it,
/// group events into batches, and apply each batch (which stores the batch's offset with its rows). On a failure the
/// whole stream restarts with backoff from the position stored last, so nothing is lost or applied twice. Runs in the
/// owning actor's materializer (it dies with the actor) and tells the actor <paramref name="stopped"/> when it ends.
/// </summary>
internal static class ResumableProjection
{
    public static void Run<TEvent>(IActorContext context, FleetViewOptions options,
        Func<Task<ProjectionPosition>> storedPosition, Func<long, Source<TEvent, NotUsed>> feedAfter,
        Func<IReadOnlyList<TEvent>, Task<ProjectionPosition>> apply, Func<Exception?, object> stopped)
    {
        var restart = RestartSettings.Create(options.MinRestartBackoff, options.MaxRestartBackoff, 0.2);
        var self = context.Self;
        RestartSource.OnFailuresWithBackoff(() => Source.FromTask(storedPosition())
                .ConcatMany(position => feedAfter(position.Offset))
                .GroupedWithin(options.BatchSize, options.BatchDelay)
                .SelectAsync(1, batch => apply(batch.ToList())), restart)
            .RunWith(Sink.OnComplete<ProjectionPosition>(
                () => self.Tell(stopped(null)),
                e => self.Tell(stopped(e))), context.Materializer());
    }
}
