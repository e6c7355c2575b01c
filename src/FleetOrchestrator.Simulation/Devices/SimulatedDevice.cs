using System.Security.Cryptography;
using FleetOrchestrator.Firmware.Manifests;
using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.L072.Agent;
using FleetOrchestrator.L072.Device;
using FleetOrchestrator.Protocol.Idempotency;
using FleetOrchestrator.Protocol.Messages;
using FleetOrchestrator.Simulation.Downloads;
using FleetOrchestrator.Simulation.Faults;
using FleetOrchestrator.Simulation.Links.DeviceMqtt;
using Microsoft.Extensions.Logging;

namespace FleetOrchestrator.Simulation.Devices;

/// <summary>
/// One simulated field device: an <see cref="L072Device"/> model with the firmware's <see cref="UpdateAgent"/>, its own
/// MQTT connection and HTTP credentials, speaking PROTOCOL.md.
/// <list type="bullet">
/// <item>Commands run one at a time in a per-device async queue (no thread per device). A download's transfer runs
/// beside the queue, so <c>getState</c> is answered and conflicting commands are refused <c>busy</c> meanwhile.</item>
/// <item>Every command id is answered idempotently (<see cref="AnsweredCommands{TAnswer}"/>, kept like the EEPROM
/// record: it survives resets); every event carries a <c>seq</c> that never goes down.</item>
/// <item>An MCU reset (swap, rollback, IWDG, power cut) is a real link loss: the connection is dropped without
/// DISCONNECT (the broker publishes the will), the device is away for the simulated boot time plus the modem's attach
/// time, then reconnects with its persistent session (queued QoS 1 commands arrive) and announces itself.</item>
/// </list>
/// The model is single-threaded; every access to it holds <c>_gate</c>, and nothing awaits while holding it.
/// </summary>
public sealed partial class SimulatedDevice : IAsyncDisposable
{
    private readonly SimulationEnvironment _env;
    private readonly SimulatedDeviceOptions _options;
    private readonly L072Device _mcu;
    private readonly UpdateAgent _agent;
    private readonly Lock _gate = new();
    private readonly DeviceMqttConnection _connection;
    private readonly EventOutbox _outbox;
    private readonly SerialWorkQueue _queue;
    private readonly ArtifactFetcher _fetcher;
    private readonly DeviceContext _context;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stopping = new();
    private readonly string _hardwareTarget;

    // Kept like data EEPROM: survives resets and power cuts.
    private AnsweredCommands<DeviceEvent> _answered = new();
    private PendingSwap? _pendingSwap;

    // RAM of the firmware: lost at every reset.
    private DownloadJob? _download;
    private Task _lastTransfer = Task.CompletedTask;
    private string? _partialImageSha256;

    public SimulatedDevice(SimulatedDeviceOptions options, SimulationEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        _options = options;
        _env = environment;
        _mcu = new L072Device(options.Mcu ?? environment.Mcu, environment.Pool);
        _mcu.LoadPhysicalBank(1, environment.InitialBankContent(options.InitialVersion));
        _agent = new UpdateAgent(_mcu, options.Agent ?? environment.Agent);
        _hardwareTarget = _mcu.Part.Name;
        _log = environment.Logs.CreateLogger<SimulatedDevice>();
        _context = new DeviceContext(environment.Link, environment.Time, options.Faults, environment.FaultSettings, options.Seed);
        _connection = new DeviceMqttConnection(
            new DeviceConnectionOptions(environment.BrokerHost, environment.BrokerPort, options.DeviceId, options.Secret)
            {
                KeepAliveSeconds = environment.KeepAliveSeconds,
                Link = environment.MqttLink,
                Tls = environment.BrokerTls,
                WillDelaySeconds = environment.WillDelaySeconds,
                SharedKeepAlive = environment.KeepAlive,
            },
            OnCommandAsync,
            reason => _log.LogWarning("Device {DeviceId} dropped a command: {Reason}", options.DeviceId, reason));
        _outbox = new EventOutbox(_connection, _context);
        _queue = new SerialWorkQueue(e => _log.LogError(e, "Device {DeviceId} failed while handling a step", options.DeviceId));
        _connection.ConnectionLost += () => _ = _queue.Enqueue(() => ReconnectAfterLinkLossAsync(_stopping.Token));
        _fetcher = new ArtifactFetcher(environment.Http, options.DeviceId, options.Secret);
        environment.Paging?.Register(this);
    }

    public string DeviceId => _options.DeviceId;
    public DeviceFaults Faults => _options.Faults;
    public DeviceCounters Counters => _context.Counters;
    public bool IsOnline => _connection.IsConnected;

    /// <summary>The model's clock: how much simulated time this device has lived (flash work, link waits, boots).</summary>
    public TimeSpan SimulatedTime
    {
        get { lock (_gate) return _mcu.Now; }
    }

    /// <summary>The device's truth, read from the model (for invariant checks against the orchestrator's view).</summary>
    public AgentReport Truth()
    {
        lock (_gate) return _agent.Report();
    }

    /// <summary>Bytes of flash/EEPROM page tables this device owns privately (shared pages are not counted).</summary>
    public long ModelPrivateBytes
    {
        get { lock (_gate) return _mcu.PrivateBytes; }
    }

    /// <summary>Powers the MCU up (booting the initial image), connects and announces: online, booted, state.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _agent.PowerOn();
            _context.BootEpoch = _mcu.ResetCount;
        }
        await ConnectAndAnnounceAsync(new ResetContext(ResetKind.PowerOn, null), cancellationToken).ConfigureAwait(false);
        NoteActivity();
        _env.Paging?.MarkAwake(this, woke: false);
    }

    /// <summary>Completes when every command received so far has been handled and no transfer is running.</summary>
    public async Task IdleAsync()
    {
        while (true)
        {
            var queue = _queue.Drained;
            Task transfer;
            lock (_gate) transfer = _lastTransfer;
            await Task.WhenAll(queue, transfer).ConfigureAwait(false);
            lock (_gate)
            {
                if (ReferenceEquals(transfer, _lastTransfer) && ReferenceEquals(queue, _queue.Drained)) return;
            }
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    /// <summary>Runs one agent call on the model and returns how much simulated time its flash work (or boot) took.</summary>
    private (AgentResult Result, TimeSpan Took) OnMcu(Func<UpdateAgent, AgentResult> call)
    {
        lock (_gate)
        {
            var before = _mcu.Now;
            var result = call(_agent);
            return (result, _mcu.Now - before);
        }
    }

    /// <summary>
    /// Lets simulated time pass with the firmware running. In steps shorter than the IWDG period: the running firmware
    /// refreshes its watchdog continually, and one long step would let the IWDG fire on a healthy image. Caller holds
    /// <c>_gate</c>.
    /// </summary>
    private void RunFirmwareFor(TimeSpan duration)
    {
        var step = TimeSpan.FromSeconds(1);
        long epoch = _mcu.ResetCount;
        while (duration > TimeSpan.Zero && _mcu.ResetCount == epoch)
        {
            var slice = duration < step ? duration : step;
            _agent.Advance(slice);
            duration -= slice;
        }
    }

    private DeviceStateReport CurrentState()
    {
        lock (_gate) return AgentReportMapping.ToStateReport(_agent.Report(), _hardwareTarget, _agent.InactiveImage());
    }

    private Task RefuseAsync(string commandId, string reason, CancellationToken ct) =>
        PublishAsync(seq => new CommandAcknowledged(commandId, seq, false, reason), remember: true, ct);

    /// <summary>Publishes an event; an answer is remembered as the latest answer to its command id.</summary>
    /// <remarks>
    /// The answer is remembered (and a finished transfer ends) when the event is built, before it is sent: a repeat of
    /// the command that overtakes the send still finds the final answer, never a transfer that seems to have vanished.
    /// </remarks>
    private async Task PublishAsync(Func<long, DeviceEvent> build, bool remember, CancellationToken ct, DownloadJob? endsTransfer = null)
    {
        NoteActivity();
        await _outbox.PublishEventAsync(seq =>
        {
            var evt = build(seq);
            lock (_gate)
            {
                if (remember && evt.CommandId is { } id) _answered = _answered.Remember(id, evt);
                if (endsTransfer is not null && ReferenceEquals(_download, endsTransfer)) _download = null;
            }
            return evt;
        }, ct).ConfigureAwait(false);
    }

    private Task PublishStateAsync(CancellationToken ct) => _outbox.PublishStateAsync(CurrentState(), ct);

    private static DeviceEvent WithSequence(DeviceEvent answer, long seq) => answer switch
    {
        StateReported s => s with { Sequence = seq },
        CommandAcknowledged a => a with { Sequence = seq },
        DownloadProgress p => p with { Sequence = seq },
        ImageStaged s => s with { Sequence = seq },
        StagingFailed f => f with { Sequence = seq },
        DeviceBooted b => b with { Sequence = seq },
        HealthReported h => h with { Sequence = seq },
        ImageCommitted c => c with { Sequence = seq },
        RolledBackOnDevice r => r with { Sequence = seq },
        _ => throw new ArgumentOutOfRangeException(nameof(answer), answer, "unknown event type"),
    };

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested) return;
        _env.Paging?.Unregister(this);
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
        try
        {
            await IdleAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Expected: the steps in flight saw the cancellation.
        }
        catch (Exception e)
        {
            // Shutting down anyway; a transfer cut off mid-request may fault in many ways.
            _log.LogDebug(e, "Device {DeviceId}: a step ended with an error during shutdown", DeviceId);
        }
        // _stopping is not disposed: a late callback of the MQTT client may still read its token, and a cancelled
        // source without timers holds nothing that needs releasing.
    }

    private enum ResetKind { PowerOn, Swap, Rollback, Unexpected }

    private sealed record ResetContext(ResetKind Kind, string? CauseCommandId);

    /// <summary>Kept with the boot record: the swap in progress, so the next boot knows whether the guard reverted it.</summary>
    private sealed record PendingSwap(SemanticVersion PreviousVersion, SemanticVersion TrialVersion);

    private sealed class DownloadJob(StartDownload command, FirmwareManifest manifest, long epoch)
    {
        public StartDownload Command { get; } = command;
        public FirmwareManifest Manifest { get; } = manifest;
        public long Epoch { get; } = epoch;
    }
}
