using Akka.Actor;
using Akka.Event;
using Akka.Persistence.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.Devices.Events;

namespace FleetOrchestrator.Orchestration.ReadModel;

/// <summary>
/// The fleet read model: follows every device event in the journal by tag (live EventsByTag, from the beginning at
/// start, resumed from the last offset after a failure) and keeps one <see cref="FleetDeviceRow"/> per device in memory,
/// so the REST API and rollouts can filter the fleet without waking device actors. One per node; it is a projection,
/// so it may lag the journal by the read journal's refresh interval.
/// </summary>
public sealed class FleetView : ReceiveActor
{
    private const string PersistenceIdPrefix = "device-";

    private readonly FleetViewOptions _options;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<string, (FleetDeviceRow Row, long SequenceNr)> _rows = new(StringComparer.Ordinal);
    private volatile Offset _offset = Offset.NoOffset();
    private long _eventsApplied;

    public FleetView(FleetViewOptions options)
    {
        _options = options;
        Receive<StreamInit>(_ => Sender.Tell(StreamAck.Instance));
        Receive<EventEnvelope>(envelope =>
        {
            Project(envelope);
            Sender.Tell(StreamAck.Instance);
        });
        Receive<StreamCompleted>(_ => _log.Warning("Fleet view: the journal stream completed; the view no longer follows the journal"));
        Receive<StreamFailed>(f => _log.Error(f.Cause, "Fleet view: the journal stream failed"));
        Receive<QueryFleet>(q => Sender.Tell(Query(q.Filter)));
        Receive<GetFleetDevice>(q => Sender.Tell(new FleetDeviceResult(_rows.TryGetValue(q.DeviceId, out var entry) ? entry.Row : null)));
        Receive<GetFleetSummary>(q => Sender.Tell(Summary(q.Filter)));
    }

    public static Props PropsFor(FleetViewOptions options) => Props.Create(() => new FleetView(options));

    protected override void PreStart()
    {
        var journal = PersistenceQuery.Get(Context.System).ReadJournalFor<IEventsByTagQuery>(_options.ReadJournalPluginId);
        var restart = RestartSettings.Create(_options.MinRestartBackoff, _options.MaxRestartBackoff, 0.2);
        // Restarts read _offset: the events after the last one applied (duplicates are dropped by sequence number).
        RestartSource.OnFailuresWithBackoff(() => journal.EventsByTag(_options.Tag, _offset), restart)
            .RunWith(Sink.ActorRefWithAck<EventEnvelope>(Self, StreamInit.Instance, StreamAck.Instance, StreamCompleted.Instance,
                ex => new StreamFailed(ex)), Context.Materializer());
    }

    private void Project(EventEnvelope envelope)
    {
        _offset = envelope.Offset;
        if (envelope.Event is not IDeviceActorEvent e || !envelope.PersistenceId.StartsWith(PersistenceIdPrefix, StringComparison.Ordinal))
            return;
        var deviceId = envelope.PersistenceId[PersistenceIdPrefix.Length..];
        if (_rows.TryGetValue(deviceId, out var entry) && envelope.SequenceNr <= entry.SequenceNr)
            return;
        var row = entry.Row ?? FleetDeviceRow.Empty(deviceId, e.At);
        _rows[deviceId] = (FleetProjection.Apply(row, e), envelope.SequenceNr);
        _eventsApplied++;
    }

    private FleetQueryResult Query(FleetFilter filter)
    {
        var matches = _rows.Values.Select(v => v.Row).Where(filter.Matches).OrderBy(r => r.DeviceId, StringComparer.Ordinal).ToList();
        var page = matches.Skip(Math.Max(0, filter.Skip)).Take(Math.Max(0, filter.Take)).ToList();
        return new FleetQueryResult(page, matches.Count, _eventsApplied);
    }

    private FleetSummary Summary(FleetFilter? filter)
    {
        var rows = _rows.Values.Select(v => v.Row).Where(r => filter?.Matches(r) ?? true).ToList();
        return new FleetSummary(
            rows.Count,
            rows.Where(r => r.RunningVersion is not null).GroupBy(r => r.RunningVersion!.Value.ToString()).ToDictionary(g => g.Key, g => g.Count()),
            rows.GroupBy(r => r.Phase).ToDictionary(g => g.Key, g => g.Count()),
            rows.Where(r => r.Outcome is not null).GroupBy(r => r.Outcome!.Value).ToDictionary(g => g.Key, g => g.Count()),
            _eventsApplied);
    }

    private sealed class StreamInit
    {
        public static readonly StreamInit Instance = new();
    }

    private sealed class StreamAck
    {
        public static readonly StreamAck Instance = new();
    }

    private sealed class StreamCompleted
    {
        public static readonly StreamCompleted Instance = new();
    }

    private sealed record StreamFailed(Exception Cause);
}
