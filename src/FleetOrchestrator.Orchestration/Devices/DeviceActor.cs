using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using Akka.Persistence;
using Akka.Persistence.Journal;
using FleetOrchestrator.Orchestration.Devices.Events;
using FleetOrchestrator.Orchestration.Devices.Messages;
using FleetOrchestrator.Orchestration.Telemetry;
using FleetOrchestrator.Protocol.Messages;

namespace FleetOrchestrator.Orchestration.Devices;

/// <summary>
/// One persistent actor per device (persistence id "device-{id}"), run as a sharded entity. It keeps what the
/// orchestrator knows about the device and runs the update saga. All decisions are made by <see cref="UpdateDecider"/>;
/// this class persists the decided events in one batch (PersistAll: SQLite only batches within one actor), applies
/// them, sends the commands they imply, and keeps the one deadline timer and the re-send timer in line with the state.
/// </summary>
public sealed class DeviceActor : ReceivePersistentActor, IWithTimers
{
    private const string DeadlineTimer = "deadline";
    private const string ResendTimer = "resend";
    private const string UnheardTimer = "unheard";

    private readonly DeviceActorSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private DeviceState _state;
    private long _lastSeenSequence;
    private int _downloadedBytes;
    // The device's latest sequenced state report, journaled or not: while a saga runs, reports that move no transition
    // are not persisted (UpdateDecider), yet an operator asking for the device wants what it says now. Memory only;
    // after a restart the view shows the journaled report until the next one arrives.
    private DeviceStateReport? _latestReport;
    private long _eventsAtLastSnapshot;
    // Re-sends of the outstanding command so far (not persisted: a restart re-sends at once and starts over).
    private string? _resendFor;
    private int _resends;

    public DeviceActor(string deviceId, DeviceActorSettings settings)
    {
        DeviceId = deviceId;
        PersistenceId = PersistenceIdOf(deviceId);
        _settings = settings;
        _state = DeviceState.Empty(deviceId);

        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is DeviceState snapshot)
            {
                _state = snapshot;
                _eventsAtLastSnapshot = snapshot.EventCount;
            }
        });
        Recover<IDeviceActorEvent>(e => _state = _state.Apply(e));
        // The SQL journal strips tags on write; the in-memory journal replays the Tagged wrapper as it was written.
        Recover<Tagged>(t => _state = _state.Apply((IDeviceActorEvent)t.Payload));
        Recover<RecoveryCompleted>(_ => OnRecovered());

        Command<GetDeviceSaga>(_ => Sender.Tell(View()));
        Command<ResendDue>(_ => OnResendDue());
        Command<UnheardDue>(_ => OnUnheard());
        Command<ReceiveTimeout>(_ => PassivateWhenIdle());
        Command<SaveSnapshotSuccess>(_ => { });
        Command<SaveSnapshotFailure>(f => _log.Warning(f.Cause, "Snapshot of {0} failed; recovery replays more events", PersistenceId));
        Command<DeviceEventReceived>(m =>
        {
            if (m.Event is DownloadProgress progress)
                OnProgress(progress);
            else
                Handle(m);
        });
        Command<DevicePresenceReceived>(OnPresence);
        CommandAny(Handle);
    }

    public static string PersistenceIdOf(string deviceId) => "device-" + deviceId;

    public static Props PropsFor(string deviceId, DeviceActorSettings settings) => Props.Create(() => new DeviceActor(deviceId, settings));

    public string DeviceId { get; }

    public override string PersistenceId { get; }

    /// <summary>
    /// Events only: a device's saga is short and never snapshotted, so recovery does not ask the snapshot store (one
    /// database transaction per device that finds nothing; 10,000 of them when a fleet comes online).
    /// </summary>
    public override Recovery Recovery { get; } = new(SnapshotSelectionCriteria.None);

    public ITimerScheduler Timers { get; set; } = null!;

    private DateTimeOffset Now => Context.System.Scheduler.Now;

    private void OnRecovered()
    {
        _lastSeenSequence = _state.LastSequence;
        _downloadedBytes = _state.Saga?.ResumeOffset ?? 0;
        ArmTimers();
        // The orchestrator may have been down while a command or its answer was lost: ask again (same id, idempotent).
        Resend();
        // The question is asked once even where it is also the phase's outstanding command (AwaitingBoot).
        if (_state.Saga is { } saga && SagaEffects.RecoveryQuestion(saga) is { } question
                                    && SagaEffects.Outstanding(saga)?.Id != question.Id)
            Send(question);
        UpdateIdleTimeout();
        if (_state.EventCount == 0)
            Timers.StartSingleTimer(UnheardTimer, UnheardDue.Instance, _settings.AskUnheardAfter);
    }

    /// <summary>
    /// Nothing journaled since the actor started: its first message may have been lost with an earlier incarnation
    /// (<see cref="DeviceActorSettings.UnheardAfter"/>), so ask. The answer is an ordinary state report.
    /// </summary>
    private void OnUnheard()
    {
        if (_state.EventCount == 0)
            Send(new GetState(CommandIds.Unheard(Now)));
    }

    /// <summary>
    /// A device that comes back may have lost the command it was sent while away (a broker restart without stored
    /// sessions drops queued commands: PROTOCOL.md §2): the outstanding one goes out again at once (same id, so a
    /// device that has it answers again) instead of after the re-send backoff.
    /// </summary>
    private void OnPresence(DevicePresenceReceived presence)
    {
        var wasOnline = _state.Online == true;
        Handle(presence);
        if (presence.Online && !wasOnline)
            Resend();
    }

    private void OnProgress(DownloadProgress progress)
    {
        // Progress is never persisted (one event per transition, not per report); it only feeds the view and the
        // resume offset of a timed-out attempt.
        if (progress.Sequence > _lastSeenSequence && progress.CommandId == _state.Saga?.CurrentCommandId)
        {
            _lastSeenSequence = progress.Sequence;
            _downloadedBytes = Math.Max(_downloadedBytes, progress.BytesWritten);
        }
    }

    private void Handle(object input)
    {
        var decision = UpdateDecider.Decide(_state, input, Now, new DeviceContext(_lastSeenSequence, _downloadedBytes));
        if (input is DeviceEventReceived { Event: StateReported reported } && reported.Sequence > _lastSeenSequence)
            _latestReport = reported.State;
        if (input is DeviceEventReceived { Event.Sequence: var seq } && seq > _lastSeenSequence)
            _lastSeenSequence = seq;

        if (decision.Events.Count == 0)
        {
            if (decision.Reply is { } reply)
                Sender.Tell(reply);
            else if (input is not (DeviceEventReceived or DeviceStateReceived or DevicePresenceReceived or DeadlineReached))
                Unhandled(input);
            return;
        }

        var replyTo = Sender;
        var remaining = decision.Events.Count;
        var asked = OrchestrationMetrics.JournalWriteTimed ? System.Diagnostics.Stopwatch.GetTimestamp() : 0;
        var tagged = new Tagged[decision.Events.Count];
        for (var i = 0; i < tagged.Length; i++)
            tagged[i] = new Tagged(decision.Events[i], FleetTags.DeviceSet);
        PersistAll(tagged, persisted =>
        {
            var e = (IDeviceActorEvent)persisted.Payload;
            OrchestrationMetrics.DeviceEventWritten();
            _state = _state.Apply(e);
            AfterEvent(e);
            if (--remaining > 0)
                return;
            if (asked != 0)
                OrchestrationMetrics.DeviceEventsPersisted(System.Diagnostics.Stopwatch.GetElapsedTime(asked));
            if (decision.Reply is { } reply)
                replyTo.Tell(reply);
            AfterBatch();
        });
    }

    private void AfterEvent(IDeviceActorEvent e)
    {
        if (_state.Saga is not { } saga)
            return;
        if ((UpdateSaga.FollowOn(e) ?? e) is DownloadCommanded d)
            _downloadedBytes = d.ResumeOffset;
        if (SagaEffects.CommandFor(e, saga) is { } command)
            Send(command);
        if (SagaSteps.Ended(saga, e) is { } step)
        {
            OrchestrationMetrics.StepEnded(step);
            SagaTracing.StepEnded(step, DeviceId, saga.UpdateId, saga.RolloutId,
                step.Step == SagaSteps.Update ? saga.Outcome?.ToString() : null);
        }
        if (saga.Phase == SagaPhase.Completed && e is not (DeviceStateObserved or DevicePresenceObserved or DeviceBootObserved) && saga.Outcome is { } outcome)
        {
            OrchestrationMetrics.SagaConcluded(outcome);
            Publish(new SagaOutcome(DeviceId, saga.UpdateId, saga.RolloutId, outcome, saga.OutcomeReason, e.At));
        }
        else if (e is RollbackPendingDeclared)
            Publish(new SagaNeedsAttention(DeviceId, saga.UpdateId, saga.RolloutId,
                $"rollback pending: {saga.RollbackReason}; the device does not answer", e.At));
    }

    private void AfterBatch()
    {
        ArmTimers();
        UpdateIdleTimeout();
        if (_state.EventCount - _eventsAtLastSnapshot >= _settings.SnapshotEvery)
        {
            _eventsAtLastSnapshot = _state.EventCount;
            SaveSnapshot(_state);
        }
    }

    private void ArmTimers()
    {
        if (_state.Saga is { Phase: not SagaPhase.Completed, Deadline: { } deadline } saga)
        {
            var due = deadline - Now;
            Timers.StartSingleTimer(DeadlineTimer, new DeadlineReached(saga.DeadlineGeneration), due < TimeSpan.Zero ? TimeSpan.Zero : due);
        }
        else
        {
            Timers.Cancel(DeadlineTimer);
        }

        if (_state.Saga is { } s && SagaEffects.ResendsPeriodically(s.Phase))
        {
            // A new outstanding command starts its own backoff (PROTOCOL.md §12); the same one keeps its schedule.
            var outstanding = $"{s.Phase}/{s.CurrentCommandId}";
            if (outstanding != _resendFor || !Timers.IsTimerActive(ResendTimer))
            {
                _resendFor = outstanding;
                _resends = 0;
                Timers.StartSingleTimer(ResendTimer, ResendDue.Instance, s.Policy.ResendDelay(1));
            }
        }
        else
        {
            _resendFor = null;
            Timers.Cancel(ResendTimer);
        }
    }

    private void OnResendDue()
    {
        Resend();
        if (_state.Saga is { } saga && SagaEffects.ResendsPeriodically(saga.Phase))
            Timers.StartSingleTimer(ResendTimer, ResendDue.Instance, saga.Policy.ResendDelay(++_resends + 1));
    }

    private void Resend()
    {
        if (_state.Saga is { Phase: not SagaPhase.Completed } saga && SagaEffects.Outstanding(saga) is { } command)
            Send(command);
    }

    private void Send(DeviceCommand command)
    {
        try
        {
            command = WithFreshUrl(command);
            var sending = _settings.CommandSender.SendAsync(DeviceId, command);
            if (!sending.IsCompletedSuccessfully)
                ObserveFailure(sending.AsTask(), DeviceId, command.Id, _log);
        }
        catch (Exception ex)
        {
            // A lost command is covered by the saga's deadline and re-sends; log it so it is not silent.
            _log.Warning(ex, "Sending {0} to {1} failed", command.Id, DeviceId);
        }
    }

    /// <summary>
    /// A download command carries a URL granted now: the one minted with the request is persisted in the target and
    /// expires (24 h) while a saga backs off, waits for a sleeping device or sits out an orchestrator restart.
    /// </summary>
    private DeviceCommand WithFreshUrl(DeviceCommand command)
    {
        if (command is not StartDownload download || _settings.UrlGranter is not { } granter
            || _state.Saga is not { } saga)
            return command;
        try
        {
            return download with { Url = granter.Grant(DeviceId, saga.Target.ArtifactId).AbsoluteUri };
        }
        catch (Exception ex)
        {
            // E.g. the HTTP side is not up yet right after a restart: the persisted URL may still be valid, and the
            // next attempt asks again.
            _log.Warning(ex, "No fresh download URL for {0} ({1}); sending the one the update was requested with",
                DeviceId, download.Id);
            return command;
        }
    }

    private static void ObserveFailure(Task sending, string deviceId, string commandId, ILoggingAdapter log) =>
        sending.ContinueWith(
            t => log.Warning(t.Exception, "Sending {0} to {1} failed", commandId, deviceId),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    private void Publish(object notification)
    {
        Context.System.EventStream.Publish(notification);
        _settings.OutcomeSubscriber?.Tell(notification);
    }

    private void UpdateIdleTimeout() =>
        Context.SetReceiveTimeout(_state.HasActiveSaga ? null : _settings.IdleTimeout);

    private void PassivateWhenIdle()
    {
        // Through the shard, never Context.Stop: the shard buffers messages that arrive while the entity stops and
        // forgets it in the remember-entities store, so a finished saga does not restart with the orchestrator.
        if (!_state.HasActiveSaga)
            Context.Parent.Tell(new Passivate(PoisonPill.Instance));
    }

    private DeviceSagaView View()
    {
        var saga = _state.Saga;
        return new DeviceSagaView(DeviceId, _state.Running, _latestReport ?? _state.LastReport, _state.Online, _state.LastSeenAt,
            saga is null
                ? null
                : new SagaView(saga.UpdateId, saga.RolloutId, saga.Target.Version, saga.Target.ArtifactId, saga.Phase, saga.Outcome, saga.OutcomeReason,
                    saga.StartedAt, saga.CompletedAt, saga.Deadline, saga.DownloadAttempt,
                    saga.Phase is SagaPhase.Downloading or SagaPhase.DownloadBackoff ? _downloadedBytes : 0, saga.RollbackReason, saga.History),
            _state.EventCount);
    }
}
