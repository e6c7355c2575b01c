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

// Reset choreography: the MCU resets, the link drops, the device reconnects and announces itself (§8.5).
public sealed partial class SimulatedDevice
{
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
            _log.LogInformation("Device {DeviceId}: power cut at flash operation {Operation}",
                DeviceId, _mcu.OperationCount);
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
            await RestartLinkAsync(boot, TimeSpan.Zero, new ResetContext(ResetKind.PowerOn, null), ct)
                .ConfigureAwait(false);
            return;
        }
        await RestartLinkAsync(TimeSpan.Zero, TimeSpan.Zero, new ResetContext(ResetKind.Unexpected, null), ct)
            .ConfigureAwait(false);
    }

    /// <summary>
    /// The MCU has reset: the link drops (the will fires), the device is away for the boot (<paramref
    /// name="bootTime"/>,
    /// already on the model's clock), any extra time a fault adds and the modem's attach time, then it comes back.
    /// </summary>
    private async Task RestartLinkAsync(
        TimeSpan bootTime, TimeSpan extraAway, ResetContext reset, CancellationToken ct)
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
        // A sleeping device ended the link itself (its DISCONNECT may surface here as a loss); a page wakes it.
        if (_connection.IsConnected || ct.IsCancellationRequested || IsAsleep) return;
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
            AgentReportMapping.ToResetCause(report.LastResetCause), trialBoots), remember: false, ct)
                .ConfigureAwait(false);
        if (revertedByGuard)
            await PublishAsync(seq => new RolledBackOnDevice(null, seq, running, ErrorReasons.BootGuard),
                remember: false, ct).ConfigureAwait(false);
        if (reset.Kind == ResetKind.Rollback)
            await PublishAsync(
                seq => new RolledBackOnDevice(reset.CauseCommandId!, seq, running, ErrorReasons.Command),
                remember: true, ct).ConfigureAwait(false);
        await PublishStateAsync(ct).ConfigureAwait(false);
        if (report.Phase == UpdatePhase.Trial)
        {
            var detail = healthy ? "self-test passed" : "self-test failed";
            await PublishAsync(seq => new HealthReported(null, seq, healthy, detail), remember: false, ct)
                .ConfigureAwait(false);
        }
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
                throw new InvalidOperationException(
                    $"broker refused device '{DeviceId}': {outcome.ResultCode} {outcome.Reason}");
            }
            catch (Exception e) when (e is not InvalidOperationException && e is not OperationCanceledException
                                      && attempt < 50)
            {
                // Broker unreachable (restarting, overloaded): a real modem retries too. Real time, not simulated:
                // this waits for a real broker.
                _log.LogDebug(e, "Device {DeviceId}: connect attempt {Attempt} failed", DeviceId, attempt);
                await Task.Delay(backoff, ct).ConfigureAwait(false);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }
}
