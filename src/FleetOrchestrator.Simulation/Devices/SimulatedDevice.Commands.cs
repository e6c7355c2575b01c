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

// The device's command handling: one command at a time, answered idempotently (PROTOCOL.md §7, §8).
public sealed partial class SimulatedDevice
{
    private Task OnCommandAsync(DeviceCommand command)
    {
        // Hand off at once: the MQTT client's receive loop must stay free to read the PUBACKs of our own publishes.
        _context.Counters.CountCommand();
        NoteActivity();
        long epoch = _context.BootEpoch;
        _ = _queue.Enqueue(() => HandleAsync(command, epoch));
        return Task.CompletedTask;
    }

    private async Task HandleAsync(DeviceCommand command, long receivedInEpoch)
    {
        var ct = _stopping.Token;
        // A command that arrived before a reset is gone with the RAM; the orchestrator re-sends it.
        if (receivedInEpoch != _context.BootEpoch) return;
        // Received just before the device went to sleep: it wakes to answer (the link is needed for that).
        await WakeAsync(ct).ConfigureAwait(false);
        await _context.Time.WaitAsync(_context.Link.OneWayLatency + _context.PagingWait(_context.Link.PagingCycle), ct)
            .ConfigureAwait(false);
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
            await PublishAsync(seq => new StateReported(command.Id, seq, CurrentState()), remember: false, ct)
                .ConfigureAwait(false);
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
            // A download interrupted by a reset left only "ack"/"progress" behind: nothing runs any more, so start it
            // again.
            bool interruptedDownload = command is StartDownload
                                       && previous is CommandAcknowledged { Accepted: true } or DownloadProgress
                                       && !transferRunning;
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
            _log.LogInformation("Device {DeviceId} refused download {CommandId}: {Reason} ({Detail})",
                DeviceId, command.Id, verdict.Reason, verdict.Detail);
            await RefuseAsync(command.Id, verdict.Reason!, ct).ConfigureAwait(false);
            return;
        }
        _context.Counters.CountDownloadAccepted();
        var job = new DownloadJob(command, verdict.Manifest!, _context.BootEpoch);
        lock (_gate) _download = job;
        await PublishAsync(seq => new CommandAcknowledged(command.Id, seq, true, null), remember: true, ct)
            .ConfigureAwait(false);
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
        await PublishAsync(seq => new CommandAcknowledged(command.Id, seq, true, null), remember: true, ct)
            .ConfigureAwait(false);
        await PublishStateAsync(ct).ConfigureAwait(false);
    }

    private async Task SwapAsync(AuthorizeSwap command, CancellationToken ct)
    {
        AgentReport report;
        bool busy;
        InactiveImageInfo? inactive;
        lock (_gate)
        {
            report = _agent.Report();
            busy = _download is not null;
            // The staged image, or the one kept from before the last swap (a swap back, PROTOCOL.md §8.8), proved
            // now.
            inactive = _agent.InactiveImage();
        }
        if (report.Phase == UpdatePhase.Trial && report.RunningVersion == command.Version)
        {
            // Answered by state (PROTOCOL.md §7.2): already running that version on trial; BFB2 is not touched again.
            await PublishAsync(seq => new CommandAcknowledged(command.Id, seq, true, null), remember: true, ct)
                .ConfigureAwait(false);
            return;
        }
        string? refusal =
            busy || report.Phase == UpdatePhase.Trial ? ErrorReasons.Busy
            : report.Rdp == RdpLevel.Level2 || !report.RomBootloader.SupportsDualBankBoot ? ErrorReasons.Unsupported
            : inactive is null ? ErrorReasons.NotStaged
            : inactive.Version != command.Version ? ErrorReasons.VersionMismatch
            : inactive.CrcNow != command.ExpectedCrc || inactive.RecordedCrc != command.ExpectedCrc
                ? ErrorReasons.CrcMismatch
            : null;
        if (refusal is not null)
        {
            await RefuseAsync(command.Id, refusal, ct).ConfigureAwait(false);
            return;
        }

        var previousVersion = report.RunningVersion ?? AgentReportMapping.UnknownVersion;
        lock (_gate) _pendingSwap = new PendingSwap(previousVersion, command.Version);
        // The ack must be out (PUBACK received) before the reset takes the link down.
        await PublishAsync(seq => new CommandAcknowledged(command.Id, seq, true, null), remember: true, ct)
            .ConfigureAwait(false);
        await _outbox.FlushAsync(ct).ConfigureAwait(false);

        var (result, bootTime) = OnMcu(a => a.AuthorizeSwap(command.ExpectedCrc));
        if (!result.Succeeded)
        {
            _log.LogWarning("Device {DeviceId}: swap after ack failed: {Reason}", DeviceId, result.Reason);
            lock (_gate) _pendingSwap = null;
            await PublishStateAsync(ct).ConfigureAwait(false);
            return;
        }
        var reset = new ResetContext(ResetKind.Swap, command.Id);
        await RestartLinkAsync(bootTime, ExtraTimeAwayAfterSwap(), reset, ct).ConfigureAwait(false);
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
                await PublishAsync(seq => new ImageCommitted(command.Id, seq, command.Version), remember: true, ct)
                    .ConfigureAwait(false);
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
        await PublishAsync(seq => new ImageCommitted(command.Id, seq, command.Version), remember: true, ct)
            .ConfigureAwait(false);
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
            var running = report.RunningVersion ?? AgentReportMapping.UnknownVersion;
            await PublishAsync(seq => new RolledBackOnDevice(command.Id, seq, running, ErrorReasons.Command),
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
        await PublishAsync(seq => new CommandAcknowledged(command.Id, seq, true, null), remember: true, ct)
            .ConfigureAwait(false);
        await _outbox.FlushAsync(ct).ConfigureAwait(false);
        var (result, bootTime) = OnMcu(a => a.RollBack());
        if (!result.Succeeded)
        {
            _log.LogWarning("Device {DeviceId}: rollback after ack failed: {Reason}", DeviceId, result.Reason);
            await PublishStateAsync(ct).ConfigureAwait(false);
            return;
        }
        await RestartLinkAsync(bootTime, TimeSpan.Zero, new ResetContext(ResetKind.Rollback, command.Id), ct)
            .ConfigureAwait(false);
    }
}
