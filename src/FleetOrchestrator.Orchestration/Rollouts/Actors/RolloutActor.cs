using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using Akka.Persistence;
using Akka.Persistence.Journal;
using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.Devices.Messages;
using FleetOrchestrator.Orchestration.Rollouts.Decisions;
using FleetOrchestrator.Orchestration.Rollouts.Effects;
using FleetOrchestrator.Orchestration.Rollouts.Events;
using FleetOrchestrator.Orchestration.Rollouts.Messages;
using FleetOrchestrator.Orchestration.Rollouts.Planning;
using FleetOrchestrator.Orchestration.Rollouts.Views;
using FleetOrchestrator.Orchestration.Telemetry;

namespace FleetOrchestrator.Orchestration.Rollouts.Actors;

/// <summary>
/// One persistent actor per rollout (persistence id "rollout-{id}", events tagged <see cref="FleetTags.Rollout"/>),
/// run as a sharded entity. Every decision is <see cref="RolloutDecider"/>'s; this class persists the decided events in
/// one batch, applies them, then runs the effects (device requests after their events are stored), keeps the one
/// wake-up timer in line with <see cref="RolloutState.NextWake"/>, and re-sends unanswered device requests.
/// After recovery it re-issues <see cref="RolloutEffects.Outstanding"/>: StartUpdate is idempotent per update id, so
/// nothing is commanded twice.
/// </summary>
public sealed class RolloutActor : ReceivePersistentActor, IWithTimers
{
    private const string WakeTimer = "wake";
    private const string ResendTimer = "resend";
    private const string JoinTimer = "join";

    private readonly RolloutActorSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    // Device requests sent and not yet accepted, by update id (in memory: after a restart everything outstanding is
    // re-sent anyway).
    private readonly Dictionary<string, RolloutEffect> _unanswered = new(StringComparer.Ordinal);
    private RolloutState _state;
    private long _wakeGeneration;
    private long _eventsAtLastSnapshot;
    private bool _joinCheckRunning;

    public RolloutActor(string rolloutId, RolloutActorSettings settings)
    {
        PersistenceId = PersistenceIdOf(rolloutId);
        _settings = settings;
        _state = RolloutState.Empty(rolloutId);

        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is RolloutState snapshot)
            {
                _state = snapshot;
                _eventsAtLastSnapshot = snapshot.EventCount;
            }
        });
        Recover<IRolloutEvent>(e => _state = _state.Apply(e));
        // The SQL journal strips tags on write; the in-memory journal replays the Tagged wrapper.
        Recover<Tagged>(t => _state = _state.Apply((IRolloutEvent)t.Payload));
        Recover<RecoveryCompleted>(_ => OnRecovered());

        Command<GetRollout>(_ => Sender.Tell(RolloutViews.Of(_state, Now)));
        Command<WhyDevice>(q => Sender.Tell(RolloutViews.Explain(_state, q.DeviceId, Now)));
        Command<GetRolloutDevices>(q => Sender.Tell(RolloutViews.Devices(_state, q)));
        Command<SagaRequestReply>(OnDeviceReply);
        Command<RolloutWake>(w =>
        {
            if (w.Generation == _wakeGeneration) Handle(RolloutTick.Instance);
        });
        Command<RolloutResendDue>(_ => Resend());
        Command<RolloutJoinCheckDue>(_ => CheckJoiners());
        Command<JoinersFound>(OnJoinersFound);
        Command<RolloutCommandReply>(_ => { }); // the answer to our own DevicesJoined
        Command<ReceiveTimeout>(_ => PassivateWhenDone());
        Command<SaveSnapshotSuccess>(_ => { });
        Command<SaveSnapshotFailure>(f =>
            _log.Warning(f.Cause, "Snapshot of {0} failed; recovery replays more events", PersistenceId));
        CommandAny(Handle);
    }

    public static string PersistenceIdOf(string rolloutId) => "rollout-" + rolloutId;

    public static Props PropsFor(string rolloutId, RolloutActorSettings settings) =>
        Props.Create(() => new RolloutActor(rolloutId, settings));

    public override string PersistenceId { get; }

    public ITimerScheduler Timers { get; set; } = null!;

    private DateTimeOffset Now => Context.System.Scheduler.Now;

    private void OnRecovered()
    {
        ArmWake();
        ArmJoinCheck();
        foreach (var effect in RolloutEffects.Outstanding(_state))
            Run(effect);
        ArmResend();
        UpdateIdleTimeout();
    }

    private void Handle(object input)
    {
        var decision = RolloutDecider.Decide(_state, input, Now);
        if (decision.Events.Count == 0)
        {
            RunAll(decision.Effects);
            if (decision.Reply is { } reply) Sender.Tell(reply);
            else if (input is not (RolloutTick or DeviceStartRefused)) Unhandled(input);
            return;
        }
        var replyTo = Sender;
        var remaining = decision.Events.Count;
        var tagged = decision.Events.Select(e => new Tagged(e, FleetTags.RolloutSet)).ToArray();
        PersistAll(tagged, persisted =>
        {
            var e = (IRolloutEvent)persisted.Payload;
            OrchestrationMetrics.RolloutEventWritten(e);
            _state = _state.Apply(e);
            if (--remaining > 0) return;
            RunAll(decision.Effects);
            if (decision.Reply is { } reply) replyTo.Tell(reply);
            AfterBatch();
        });
    }

    private void AfterBatch()
    {
        ArmWake();
        ArmJoinCheck();
        ArmResend();
        UpdateIdleTimeout();
        if (_state.EventCount - _eventsAtLastSnapshot >= _settings.SnapshotEvery)
        {
            _eventsAtLastSnapshot = _state.EventCount;
            SaveSnapshot(_state);
        }
    }

    private void RunAll(IReadOnlyList<RolloutEffect> effects)
    {
        foreach (var effect in effects) Run(effect);
        ArmResend();
    }

    private void Run(RolloutEffect effect)
    {
        var region = _settings.DeviceRegion;
        switch (effect)
        {
            case StartDeviceUpdate s when _state.Target is { } target && _state.SagaPolicy is { } policy:
                _unanswered[s.UpdateId] = s;
                region.Tell(new StartUpdate(s.DeviceId, s.UpdateId, target, InWindow(policy, s.DeviceId),
                    _state.RolloutId), Self);
                break;
            case ActivateDevice a:
                _unanswered[a.UpdateId] = a;
                region.Tell(new ActivateUpdate(a.DeviceId, a.UpdateId), Self);
                break;
            case CancelDeviceUpdate c:
                // Its answer must not be taken for the start's ("nothing to cancel" is no refusal of the start).
                _unanswered.Remove(c.UpdateId);
                region.Tell(new CancelUpdate(c.DeviceId, c.UpdateId, c.Reason), Self);
                break;
            case RollBackDevice r when _state.SagaPolicy is { } policy:
                _unanswered[r.UpdateId] = r;
                var back = InWindow(policy, r.DeviceId) with { ActivateAutomatically = true };
                region.Tell(new StartUpdate(r.DeviceId, r.UpdateId, r.Previous, back, _state.RolloutId), Self);
                break;
        }
    }

    /// <summary>The saga policy with the rollout's maintenance window in the device's own time zone: the saga
    /// authorizes the swap (forward or back) only inside it.</summary>
    private UpdatePolicy InWindow(UpdatePolicy policy, string deviceId) => _state.Policy?.Window is { } w
        ? policy with
        {
            SwapWindow = new SwapWindow(w.LocalStart, w.LocalEnd, _state.Devices.GetValueOrDefault(deviceId)?.TimeZone),
        }
        : policy;

    private void OnDeviceReply(SagaRequestReply reply)
    {
        if (!_unanswered.TryGetValue(reply.UpdateId, out var effect)) return;
        switch (effect)
        {
            case StartDeviceUpdate when reply.Accepted:
            case RollBackDevice when reply.Accepted:
            // An activation is done once the saga is past Staged ("not staged yet" is re-sent).
            case ActivateDevice when reply.Accepted
                                     && (reply.Phase > SagaPhase.Staged || reply.Reason == SwapWindow.AwaitingReason):
                _unanswered.Remove(reply.UpdateId);
                break;
            case StartDeviceUpdate s:
                _unanswered.Remove(reply.UpdateId);
                Handle(new DeviceStartRefused(s.DeviceId, s.UpdateId, reply.Reason ?? "refused"));
                break;
            // A refused rollback start (the forward saga still rolls back) and an activation of a saga still
            // downloading stay unanswered: the resend timer asks again.
        }
    }

    private void Resend()
    {
        foreach (var effect in _unanswered.Values.ToList())
            Run(effect);
        ArmResend();
    }

    /// <summary>The joiner check runs while the rollout takes joiners and a read store is there to ask.</summary>
    private void ArmJoinCheck()
    {
        if (_settings.Candidates is null || !RolloutJoiners.TakesJoiners(_state))
            Timers.Cancel(JoinTimer);
        else if (!Timers.IsTimerActive(JoinTimer))
            Timers.StartPeriodicTimer(JoinTimer, RolloutJoinCheckDue.Instance, _settings.JoinCheck);
    }

    private void CheckJoiners()
    {
        if (_joinCheckRunning || _settings.Candidates is not { } candidates) return;
        _joinCheckRunning = true;
        var state = _state;
        candidates(CancellationToken.None).ContinueWith(t => t.IsCompletedSuccessfully
                ? new JoinersFound(RolloutJoiners.Find(state, t.Result), null)
                : new JoinersFound(null, t.Exception?.GetBaseException().Message ?? "cancelled"),
            TaskScheduler.Default).PipeTo(Self, Self);
    }

    private void OnJoinersFound(JoinersFound found)
    {
        _joinCheckRunning = false;
        if (found.Failure is { } failure)
            _log.Warning("Rollout {0}: the joiner check failed ({1}); it runs again in {2}",
                _state.RolloutId, failure, _settings.JoinCheck);
        else if (found.Joined is { DeviceIds.Count: > 0 } joined && RolloutJoiners.TakesJoiners(_state))
            Handle(joined);
    }

    private void ArmWake()
    {
        _wakeGeneration++;
        if (_state.NextWake is { } at)
        {
            var due = at - Now;
            var delay = due < TimeSpan.Zero ? TimeSpan.Zero : due;
            Timers.StartSingleTimer(WakeTimer, new RolloutWake(_wakeGeneration), delay);
        }
        else
        {
            Timers.Cancel(WakeTimer);
        }
    }

    private void ArmResend()
    {
        if (_unanswered.Count == 0) Timers.Cancel(ResendTimer);
        else if (!Timers.IsTimerActive(ResendTimer))
            Timers.StartPeriodicTimer(ResendTimer, RolloutResendDue.Instance, _settings.Resend);
    }

    // A finished rollout needs no actor; a running one stays (remember-entities restarts it with the orchestrator).
    private void UpdateIdleTimeout() => Context.SetReceiveTimeout(Done ? TimeSpan.FromMinutes(2) : null);

    private bool Done => _state.Status == RolloutStatus.None
        || (_state.IsTerminal
            && !_state.Devices.Values.Any(d => d.Step is RolloutDeviceStep.Commanded or RolloutDeviceStep.RollingBack));

    private void PassivateWhenDone()
    {
        if (Done) Context.Parent.Tell(new Passivate(PoisonPill.Instance));
    }
}
