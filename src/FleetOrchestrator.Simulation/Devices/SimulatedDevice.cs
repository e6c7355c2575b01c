using System.Security.Cryptography;
using FleetOrchestrator.Firmware.Manifests;
using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.L072.Agent;
using FleetOrchestrator.L072.Device;
using FleetOrchestrator.Mqtt.Device;
using FleetOrchestrator.Protocol.Idempotency;
using FleetOrchestrator.Protocol.Messages;
using FleetOrchestrator.Simulation.Downloads;
using FleetOrchestrator.Simulation.Faults;
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
public sealed class SimulatedDevice : IAsyncDisposable
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
    private bool _corruptionInjected;
    private bool _powerCutArmed;
    private bool _offlineDuringSwapDone;

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
        _mcu = new L072Device(environment.Mcu, environment.Pool);
        _mcu.LoadPhysicalBank(1, environment.InitialBankContent());
        _agent = new UpdateAgent(_mcu, environment.Agent);
        _hardwareTarget = _mcu.Part.Name;
        _log = environment.Logs.CreateLogger<SimulatedDevice>();
        _context = new DeviceContext(environment.Link, environment.Time, options.Faults, environment.FaultSettings, options.Seed);
        _connection = new DeviceMqttConnection(
            new DeviceConnectionOptions(environment.BrokerHost, environment.BrokerPort, options.DeviceId, options.Secret)
            {
                KeepAliveSeconds = environment.KeepAliveSeconds,
                Link = environment.MqttLink,
                WillDelaySeconds = environment.WillDelaySeconds,
                SharedKeepAlive = environment.KeepAlive,
            },
            OnCommandAsync,
            reason => _log.LogWarning("Device {DeviceId} dropped a command: {Reason}", options.DeviceId, reason));
        _outbox = new EventOutbox(_connection, _context);
        _queue = new SerialWorkQueue(e => _log.LogError(e, "Device {DeviceId} failed while handling a step", options.DeviceId));
        _connection.ConnectionLost += () => _ = _queue.Enqueue(() => ReconnectAfterLinkLossAsync(_stopping.Token));
        _fetcher = new ArtifactFetcher(environment.Http, options.DeviceId, options.Secret);
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

    // ---- commands ------------------------------------------------------------------------------------------

    private Task OnCommandAsync(DeviceCommand command)
    {
        // Hand off at once: the MQTT client's receive loop must stay free to read the PUBACKs of our own publishes.
        _context.Counters.CountCommand();
        long epoch = _context.BootEpoch;
        _ = _queue.Enqueue(() => HandleAsync(command, epoch));
        return Task.CompletedTask;
    }

    private async Task HandleAsync(DeviceCommand command, long receivedInEpoch)
    {
        var ct = _stopping.Token;
        // A command that arrived before a reset is gone with the RAM; the orchestrator re-sends it.
        if (receivedInEpoch != _context.BootEpoch) return;
        await _context.Time.WaitAsync(_context.Link.OneWayLatency + _context.PagingWait(_context.Link.PagingCycle), ct).ConfigureAwait(false);
        try
        {
            await DispatchAsync(command, ct).ConfigureAwait(false);
        }
        catch (PowerLostException)
        {
            // Handled below: the link follows the MCU.
        }
        finally
        {
            await _outbox.FlushAsync(ct).ConfigureAwait(false);
        }
        await CatchUpWithMcuAsync(ct).ConfigureAwait(false);
    }

    private async Task DispatchAsync(DeviceCommand command, CancellationToken ct)
    {
        if (command is GetState)
        {
            await PublishAsync(seq => new StateReported(command.Id, seq, CurrentState()), remember: false, ct).ConfigureAwait(false);
            return;
        }
        DeviceEvent? previous;
        bool transferRunning;
        lock (_gate)
        {
            _answered.TryGetAnswer(command.Id, out previous);
            transferRunning = _download is not null;
        }
        if (previous is not null)
        {
            // A download interrupted by a reset left only "ack"/"progress" behind: nothing runs any more, so start it again.
            bool interruptedDownload = command is StartDownload && previous is CommandAcknowledged { Accepted: true } or DownloadProgress && !transferRunning;
            if (!interruptedDownload)
            {
                await PublishAsync(seq => WithSequence(previous, seq), remember: false, ct).ConfigureAwait(false);
                return;
            }
        }
        switch (command)
        {
            case StartDownload d: await StartDownloadAsync(d, ct).ConfigureAwait(false); break;
            case EraseStaged e: await EraseAsync(e, ct).ConfigureAwait(false); break;
            case AuthorizeSwap s: await SwapAsync(s, ct).ConfigureAwait(false); break;
            case CommitImage c: await CommitAsync(c, ct).ConfigureAwait(false); break;
            case RollBack r: await RollBackAsync(r, ct).ConfigureAwait(false); break;
        }
    }

    private async Task StartDownloadAsync(StartDownload command, CancellationToken ct)
    {
        AgentReport report;
        bool busy;
        lock (_gate)
        {
            report = _agent.Report();
            busy = _download is not null;
        }
        if (busy || report.Phase == UpdatePhase.Trial)
        {
            // One update step at a time; a trial must be committed or rolled back before the next image is written
            // (PROTOCOL.md §8.2 step 1: trial-pending tells the orchestrator to resolve the trial first).
            var reason = busy ? ErrorReasons.Busy : ErrorReasons.TrialPending;
            await RefuseAsync(command.Id, reason, ct).ConfigureAwait(false);
            return;
        }
        var verdict = ManifestCheck.Verify(command.Manifest, _env.TrustedKeys, _hardwareTarget, _mcu.Part.BankBytes,
            report.RunningVersion ?? AgentReportMapping.UnknownVersion, report.AgentVersion);
        if (!verdict.Accepted)
        {
            _log.LogInformation("Device {DeviceId} refused download {CommandId}: {Reason} ({Detail})", DeviceId, command.Id, verdict.Reason, verdict.Detail);
            await RefuseAsync(command.Id, verdict.Reason!, ct).ConfigureAwait(false);
            return;
        }
        var job = new DownloadJob(command, verdict.Manifest!, _context.BootEpoch);
        lock (_gate) _download = job;
        await PublishAsync(seq => new CommandAcknowledged(command.Id, seq, true, null), remember: true, ct).ConfigureAwait(false);
        var transfer = Task.Run(() => TransferAsync(job, _stopping.Token), CancellationToken.None);
        lock (_gate) _lastTransfer = transfer;
    }

    private async Task EraseAsync(EraseStaged command, CancellationToken ct)
    {
        AgentReport report;
        bool busy;
        lock (_gate)
        {
            report = _agent.Report();
            busy = _download is not null;
        }
        if (busy)
        {
            await RefuseAsync(command.Id, ErrorReasons.Busy, ct).ConfigureAwait(false);
            return;
        }
        if (report.Phase == UpdatePhase.Trial)
        {
            // The inactive bank holds the fallback image while a trial runs.
            await RefuseAsync(command.Id, ErrorReasons.Unsupported, ct).ConfigureAwait(false);
            return;
        }
        var (result, flashTime) = OnMcu(a => a.EraseStaged());
        lock (_gate) _partialImageSha256 = null;
        await _context.Time.WaitAsync(flashTime, ct).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            _log.LogWarning("Device {DeviceId}: erase of the inactive bank failed: {Reason}", DeviceId, result.Reason);
            await RefuseAsync(command.Id, ErrorReasons.Unsupported, ct).ConfigureAwait(false);
            return;
        }
        await PublishAsync(seq => new CommandAcknowledged(command.Id, seq, true, null), remember: true, ct).ConfigureAwait(false);
        await PublishStateAsync(ct).ConfigureAwait(false);
    }

    private async Task SwapAsync(AuthorizeSwap command, CancellationToken ct)
    {
        AgentReport report;
        bool busy;
        uint? crcNow = null;
        lock (_gate)
        {
            report = _agent.Report();
            busy = _download is not null;
            if (report.Staged is { } staged) crcNow = _mcu.ComputeFlashCrc(_mcu.Part.Bank2Address, staged.Size);
        }
        if (report.Phase == UpdatePhase.Trial && report.RunningVersion == command.Version)
        {
            // Answered by state (PROTOCOL.md §7.2): already running that version on trial; BFB2 is not touched again.
            await PublishAsync(seq => new CommandAcknowledged(command.Id, seq, true, null), remember: true, ct).ConfigureAwait(false);
            return;
        }
        string? refusal =
            busy || report.Phase == UpdatePhase.Trial ? ErrorReasons.Busy
            : report.Rdp == RdpLevel.Level2 || !report.RomBootloader.SupportsDualBankBoot ? ErrorReasons.Unsupported
            : report.Staged is null ? ErrorReasons.NotStaged
            : report.Staged.Version != command.Version ? ErrorReasons.VersionMismatch
            : crcNow != command.ExpectedCrc || report.Staged.Crc != command.ExpectedCrc ? ErrorReasons.CrcMismatch
            : null;
        if (refusal is not null)
        {
            await RefuseAsync(command.Id, refusal, ct).ConfigureAwait(false);
            return;
        }

        lock (_gate) _pendingSwap = new PendingSwap(report.RunningVersion ?? AgentReportMapping.UnknownVersion, command.Version);
        // The ack must be out (PUBACK received) before the reset takes the link down.
        await PublishAsync(seq => new CommandAcknowledged(command.Id, seq, true, null), remember: true, ct).ConfigureAwait(false);
        await _outbox.FlushAsync(ct).ConfigureAwait(false);

        var (result, bootTime) = OnMcu(a => a.AuthorizeSwap(command.ExpectedCrc));
        if (!result.Succeeded)
        {
            _log.LogWarning("Device {DeviceId}: swap after ack failed: {Reason}", DeviceId, result.Reason);
            lock (_gate) _pendingSwap = null;
            await PublishStateAsync(ct).ConfigureAwait(false);
            return;
        }
        var extraAway = TimeSpan.Zero;
        if (_options.Faults.OfflineDuringSwap && !_offlineDuringSwapDone)
        {
            _offlineDuringSwapDone = true;
            extraAway = _context.FaultSettings.OfflineDuringSwap;
        }
        await RestartLinkAsync(bootTime, extraAway, new ResetContext(ResetKind.Swap, command.Id), ct).ConfigureAwait(false);
    }

    private async Task CommitAsync(CommitImage command, CancellationToken ct)
    {
        AgentReport report;
        lock (_gate) report = _agent.Report();
        if (report.Phase != UpdatePhase.Trial)
        {
            if (report.RunningVersion == command.Version)
            {
                // Answered by state: that version already runs committed.
                await PublishAsync(seq => new ImageCommitted(command.Id, seq, command.Version), remember: true, ct).ConfigureAwait(false);
                return;
            }
            await RefuseAsync(command.Id, ErrorReasons.NotTrial, ct).ConfigureAwait(false);
            return;
        }
        if (report.RunningVersion != command.Version)
        {
            await RefuseAsync(command.Id, ErrorReasons.VersionMismatch, ct).ConfigureAwait(false);
            return;
        }
        var (result, flashTime) = OnMcu(a => a.Commit());
        await _context.Time.WaitAsync(flashTime, ct).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            await RefuseAsync(command.Id, ErrorReasons.NotTrial, ct).ConfigureAwait(false);
            return;
        }
        await PublishAsync(seq => new ImageCommitted(command.Id, seq, command.Version), remember: true, ct).ConfigureAwait(false);
        await PublishStateAsync(ct).ConfigureAwait(false);
    }

    private async Task RollBackAsync(RollBack command, CancellationToken ct)
    {
        AgentReport report;
        bool busy;
        lock (_gate)
        {
            report = _agent.Report();
            busy = _download is not null;
        }
        if (report.Phase == UpdatePhase.RolledBack && report.LastRevert != RevertReason.None)
        {
            // Answered by state: the previous image already runs.
            await PublishAsync(seq => new RolledBackOnDevice(command.Id, seq, report.RunningVersion ?? AgentReportMapping.UnknownVersion, ErrorReasons.Command),
                remember: true, ct).ConfigureAwait(false);
            return;
        }
        if (busy)
        {
            await RefuseAsync(command.Id, ErrorReasons.Busy, ct).ConfigureAwait(false);
            return;
        }
        if (report.Phase != UpdatePhase.Trial)
        {
            // This agent reverts only a trial (the boot record knows the fallback); going back from a committed image
            // is an intentional downgrade by a new download with downgradeAllowed.
            await RefuseAsync(command.Id, ErrorReasons.NoPreviousImage, ct).ConfigureAwait(false);
            return;
        }
        await PublishAsync(seq => new CommandAcknowledged(command.Id, seq, true, null), remember: true, ct).ConfigureAwait(false);
        await _outbox.FlushAsync(ct).ConfigureAwait(false);
        var (result, bootTime) = OnMcu(a => a.RollBack());
        if (!result.Succeeded)
        {
            _log.LogWarning("Device {DeviceId}: rollback after ack failed: {Reason}", DeviceId, result.Reason);
            await PublishStateAsync(ct).ConfigureAwait(false);
            return;
        }
        await RestartLinkAsync(bootTime, TimeSpan.Zero, new ResetContext(ResetKind.Rollback, command.Id), ct).ConfigureAwait(false);
    }

    // ---- the transfer --------------------------------------------------------------------------------------

    private async Task TransferAsync(DownloadJob job, CancellationToken ct)
    {
        var command = job.Command;
        var manifest = job.Manifest;
        try
        {
            if (BeginOrResume(job, out string? problem) is not int start)
            {
                await FailStagingAsync(job, ErrorReasons.Flash, problem ?? "staging could not begin", 0, ct).ConfigureAwait(false);
                return;
            }
            int offset = start;
            int attempts = 0;
            bool progressSent = offset * 2 >= manifest.Size;
            while (offset < manifest.Size)
            {
                if (!StillCurrent(job)) return;
                int n = Math.Min(_env.ChunkSize, manifest.Size - offset);
                var requestTime = _context.Link.RequestTime(n);
                await _context.Time.WaitAsync(requestTime, ct).ConfigureAwait(false);
                if (!LetTimePass(job, requestTime)) return;

                var fetch = await _fetcher.FetchAsync(command.Url, offset, n, manifest.Size, ct).ConfigureAwait(false);
                // The server sent it, the radio lost it: the device asks for the same range again.
                if (fetch.Status == ChunkFetchStatus.Ok && _context.TransferChance(_context.Link.DropProbability))
                    fetch = ChunkFetch.Fail(ChunkFetchStatus.Retryable, "chunk lost on the radio link");
                if (fetch.Status != ChunkFetchStatus.Ok)
                {
                    if (fetch.Status == ChunkFetchStatus.Oversized)
                    {
                        await FailStagingAsync(job, ErrorReasons.Integrity, fetch.Problem!, 0, ct).ConfigureAwait(false);
                        return;
                    }
                    attempts++;
                    _context.Counters.CountChunkRetry();
                    if (fetch.Status == ChunkFetchStatus.Refused || attempts >= _env.MaxChunkAttempts)
                    {
                        await FailStagingAsync(job, ErrorReasons.Download,
                            $"gave up at offset {offset} after {attempts} attempt(s): {fetch.Problem}", offset, ct).ConfigureAwait(false);
                        return;
                    }
                    continue;
                }
                attempts = 0;
                var bytes = fetch.Bytes;
                if (_options.Faults.CorruptTransfer && !_corruptionInjected)
                {
                    _corruptionInjected = true;
                    bytes.Span[bytes.Length / 2] ^= 0x5A; // a bit error the transport did not catch
                }
                var (written, flashTime) = OnMcu(a => a.WriteChunk(offset, bytes.Span));
                if (!StillCurrent(job)) return;
                await _context.Time.WaitAsync(flashTime, ct).ConfigureAwait(false);
                if (!written.Succeeded)
                {
                    await FailStagingAsync(job, ErrorReasons.Flash, written.Reason ?? "write failed", 0, ct).ConfigureAwait(false);
                    return;
                }
                offset += n;
                if (!progressSent && offset * 2 >= manifest.Size)
                {
                    progressSent = true;
                    await PublishAsync(seq => new DownloadProgress(command.Id, seq, offset, manifest.Size), remember: true, ct).ConfigureAwait(false);
                }
            }
            await FinishAsync(job, ct).ConfigureAwait(false);
            // The transfer is a step of its own: it never ends with an event held back by the reorder fault.
            await _outbox.FlushAsync(ct).ConfigureAwait(false);
        }
        catch (PowerLostException)
        {
            // The transfer dies with the RAM; the queue brings the link in line with the MCU.
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return;
        }
        finally
        {
            lock (_gate)
            {
                if (ReferenceEquals(_download, job)) _download = null;
            }
        }
        if (!ct.IsCancellationRequested) _ = _queue.Enqueue(() => CatchUpWithMcuAsync(ct));
    }

    /// <summary>Resumes a partial image of the same manifest when asked to (PROTOCOL.md §5), else starts from 0.</summary>
    private int? BeginOrResume(DownloadJob job, out string? problem)
    {
        var m = job.Manifest;
        problem = null;
        lock (_gate)
        {
            int resumeOffset = job.Command.ResumeOffset;
            if (resumeOffset > 0 && _partialImageSha256 == m.ImageSha256 && _agent.StagingNextOffset is int next && next >= resumeOffset)
                return next;
            if (_options.Faults.PowerCutAtOperation is long op && !_powerCutArmed)
            {
                _powerCutArmed = true;
                _mcu.ScheduleCutBeforeOperation(_mcu.OperationCount + op);
            }
            _fetcher.Forget();
            var begun = _agent.BeginStaging(m.Size, m.Crc32);
            if (!begun.Succeeded)
            {
                problem = begun.Reason;
                return null;
            }
            _partialImageSha256 = m.ImageSha256;
            return 0;
        }
    }

    /// <summary>SHA-256 of <paramref name="size"/> bytes of flash, read a sector at a time.</summary>
    /// <remarks>Not one image-sized array: at 96 KB it lands on the large-object heap, and one per device per update made
    /// the runtime run full collections all through a 10,000-device simulation.</remarks>
    private string HashFlash(uint address, int size)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> block = stackalloc byte[4096];
        for (int done = 0; done < size; done += block.Length)
        {
            var part = block[..Math.Min(block.Length, size - done)];
            _mcu.ReadFlash(address + (uint)done, part);
            sha.AppendData(part);
        }
        Span<byte> digest = stackalloc byte[32];
        sha.GetHashAndReset(digest);
        return Convert.ToHexStringLower(digest);
    }

    private async Task FinishAsync(DownloadJob job, CancellationToken ct)
    {
        var m = job.Manifest;
        var (finished, flashTime) = OnMcu(a => a.FinishStaging());
        if (!StillCurrent(job)) return;
        await _context.Time.WaitAsync(flashTime, ct).ConfigureAwait(false);
        if (!finished.Succeeded)
        {
            bool crcDiffers = finished.Crc is uint got && got != m.Crc32;
            await FailStagingAsync(job, crcDiffers || finished.Outcome == AgentOutcome.Failed ? ErrorReasons.Integrity : ErrorReasons.Flash,
                crcDiffers
                    ? $"CRC unit gives {ManifestJson.FormatCrc(finished.Crc!.Value)} over the written bank, the manifest says {ManifestJson.FormatCrc(m.Crc32)}"
                    : finished.Reason ?? "staging did not finish", 0, ct).ConfigureAwait(false);
            return;
        }
        // The CRC unit agreed; SHA-256 over the same bytes is the manifest's stronger promise (PROTOCOL.md §8.2 step 6).
        string sha;
        lock (_gate) sha = HashFlash(_mcu.Part.Bank2Address, m.Size);
        if (sha != m.ImageSha256)
        {
            OnMcu(a => a.EraseStaged()); // never leave a verified-looking image that is not the manifest's
            await FailStagingAsync(job, ErrorReasons.Integrity, $"SHA-256 over the written bank is {sha}, the manifest says {m.ImageSha256}", 0, ct).ConfigureAwait(false);
            return;
        }
        lock (_gate) _partialImageSha256 = null;
        uint crc = finished.Crc ?? m.Crc32;
        await PublishAsync(seq => new ImageStaged(job.Command.Id, seq, m.Version, m.Size, crc), remember: true, ct, endsTransfer: job).ConfigureAwait(false);
        await PublishStateAsync(ct).ConfigureAwait(false);
    }

    private async Task FailStagingAsync(DownloadJob job, string reason, string detail, int resumeOffset, CancellationToken ct)
    {
        if (resumeOffset == 0)
        {
            lock (_gate) _partialImageSha256 = null;
        }
        if (detail.Length > 256) detail = detail[..256];
        await PublishAsync(seq => new StagingFailed(job.Command.Id, seq, reason, detail, resumeOffset), remember: true, ct, endsTransfer: job).ConfigureAwait(false);
        await _outbox.FlushAsync(ct).ConfigureAwait(false);
    }

    private bool StillCurrent(DownloadJob job)
    {
        lock (_gate) return ReferenceEquals(_download, job) && _mcu.IsPowered && _mcu.ResetCount == job.Epoch;
    }

    /// <summary>The firmware keeps running (and refreshing its IWDG) while it waits for the network.</summary>
    private bool LetTimePass(DownloadJob job, TimeSpan duration)
    {
        lock (_gate)
        {
            if (!ReferenceEquals(_download, job) || _mcu.ResetCount != job.Epoch) return false;
            RunFirmwareFor(duration);
            return _mcu.ResetCount == job.Epoch;
        }
    }

    // ---- resets and the link -------------------------------------------------------------------------------

    /// <summary>
    /// After any step: if the MCU reset or lost power behind the link's back (IWDG, injected power cut), do what the
    /// real device would: drop the link, (power up,) reconnect and announce.
    /// </summary>
    private async Task CatchUpWithMcuAsync(CancellationToken ct)
    {
        bool powered, reset;
        lock (_gate)
        {
            powered = _mcu.IsPowered;
            reset = _mcu.ResetCount != _context.BootEpoch;
        }
        if (powered && !reset) return;
        if (!powered)
        {
            _log.LogInformation("Device {DeviceId}: power cut at flash operation {Operation}", DeviceId, _mcu.OperationCount);
            _outbox.DropHeld();
            await _connection.AbortAsync().ConfigureAwait(false);
            _context.Counters.CountReboot();
            await _context.Time.WaitAsync(_context.FaultSettings.PowerOffDuration, ct).ConfigureAwait(false);
            TimeSpan boot;
            lock (_gate)
            {
                _mcu.CancelScheduledCut();
                _agent.Advance(_context.FaultSettings.PowerOffDuration); // unpowered: the clock just runs on
                var before = _mcu.Now;
                _agent.PowerOn();
                boot = _mcu.Now - before;
            }
            await RestartLinkAsync(boot, TimeSpan.Zero, new ResetContext(ResetKind.PowerOn, null), ct).ConfigureAwait(false);
            return;
        }
        await RestartLinkAsync(TimeSpan.Zero, TimeSpan.Zero, new ResetContext(ResetKind.Unexpected, null), ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The MCU has reset: the link drops (the will fires), the device is away for the boot (<paramref name="bootTime"/>,
    /// already on the model's clock), any extra time a fault adds and the modem's attach time, then it comes back.
    /// </summary>
    private async Task RestartLinkAsync(TimeSpan bootTime, TimeSpan extraAway, ResetContext reset, CancellationToken ct)
    {
        var offline = extraAway + _context.Link.AttachDelay;
        lock (_gate)
        {
            _download = null;
            _partialImageSha256 = _agent.StagingNextOffset is null ? null : _partialImageSha256;
            _context.BootEpoch = _mcu.ResetCount;
            RunFirmwareFor(offline);
        }
        _outbox.DropHeld();
        await _connection.AbortAsync().ConfigureAwait(false);
        if (reset.Kind != ResetKind.PowerOn) _context.Counters.CountReboot();
        await _context.Time.WaitAsync(bootTime + offline, ct).ConfigureAwait(false);
        await ConnectAndAnnounceAsync(reset, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The broker (or the network) dropped the connection while the MCU kept running: reconnect, and (PROTOCOL.md §2,
    /// after every CONNACK) presence online and the state report. No <c>booted</c>: nothing reset.
    /// </summary>
    private async Task ReconnectAfterLinkLossAsync(CancellationToken ct)
    {
        if (_connection.IsConnected || ct.IsCancellationRequested) return;
        await _context.Time.WaitAsync(_context.Link.AttachDelay, ct).ConfigureAwait(false);
        if (_connection.IsConnected) return;
        await ConnectWithRetryAsync(ct).ConfigureAwait(false);
        await PublishStateAsync(ct).ConfigureAwait(false);
    }

    /// <summary>PROTOCOL.md §8.5 steps 4–7, in its order: connect, online, booted, rolledBack (after a revert), state,
    /// health (on trial).</summary>
    private async Task ConnectAndAnnounceAsync(ResetContext reset, CancellationToken ct)
    {
        await ConnectWithRetryAsync(ct).ConfigureAwait(false);
        AgentReport report;
        PendingSwap? swap;
        bool healthy;
        lock (_gate)
        {
            report = _agent.Report();
            healthy = _agent.CheckHealth();
            swap = _pendingSwap;
            _pendingSwap = null;
        }
        var running = report.RunningVersion ?? AgentReportMapping.UnknownVersion;
        bool revertedByGuard = swap is not null && running != swap.TrialVersion && report.Phase != UpdatePhase.Trial;
        int trialBoots = report.Phase == UpdatePhase.Trial ? report.FailedTrialBoots + 1
            : revertedByGuard ? _env.Agent.MaxFailedTrialBoots
            : 0;
        string? causeId = revertedByGuard ? null : reset.CauseCommandId;
        await PublishAsync(seq => new DeviceBooted(causeId, seq, running, AgentReportMapping.ToBank(report.ActiveBank),
            report.Phase == UpdatePhase.Trial ? ImageState.Trial : ImageState.Committed,
            AgentReportMapping.ToResetCause(report.LastResetCause), trialBoots), remember: false, ct).ConfigureAwait(false);
        if (revertedByGuard)
            await PublishAsync(seq => new RolledBackOnDevice(null, seq, running, ErrorReasons.BootGuard), remember: false, ct).ConfigureAwait(false);
        if (reset.Kind == ResetKind.Rollback)
            await PublishAsync(seq => new RolledBackOnDevice(reset.CauseCommandId!, seq, running, ErrorReasons.Command), remember: true, ct).ConfigureAwait(false);
        await PublishStateAsync(ct).ConfigureAwait(false);
        if (report.Phase == UpdatePhase.Trial)
            await PublishAsync(seq => new HealthReported(null, seq, healthy, healthy ? "self-test passed" : "self-test failed"), remember: false, ct).ConfigureAwait(false);
        await _outbox.FlushAsync(ct).ConfigureAwait(false);
    }

    private async Task ConnectWithRetryAsync(CancellationToken ct)
    {
        var backoff = TimeSpan.FromMilliseconds(100);
        for (int attempt = 1; ; attempt++)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                var outcome = await _connection.ConnectAsync(ct).ConfigureAwait(false);
                if (outcome.IsConnected)
                {
                    _context.Counters.CountConnect();
                    return;
                }
                // Refused credentials do not heal by retrying: that is a provisioning error to surface.
                throw new InvalidOperationException($"broker refused device '{DeviceId}': {outcome.ResultCode} {outcome.Reason}");
            }
            catch (Exception e) when (e is not InvalidOperationException && e is not OperationCanceledException && attempt < 50)
            {
                // Broker unreachable (restarting, overloaded): a real modem retries too. Real time, not simulated:
                // this waits for a real broker.
                _log.LogDebug(e, "Device {DeviceId}: connect attempt {Attempt} failed", DeviceId, attempt);
                await Task.Delay(backoff, ct).ConfigureAwait(false);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
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
        lock (_gate) return AgentReportMapping.ToStateReport(_agent.Report(), _hardwareTarget);
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
