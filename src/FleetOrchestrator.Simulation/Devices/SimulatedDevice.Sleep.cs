namespace FleetOrchestrator.Simulation.Devices;

// Sleeping while idle (DevicePaging): offline and disconnected, woken by a page when a command waits in the session.
public sealed partial class SimulatedDevice
{
    private long _lastActivity;
    private long _pagesReceived;
    private int _asleep;
    private int _sleepQueued;

    /// <summary>True while the device sleeps: no MQTT connection, commands wait in its session at the broker.</summary>
    public bool IsAsleep => Volatile.Read(ref _asleep) == 1;

    /// <summary>The network pages the device: a command waits for it. Wakes it if it sleeps.</summary>
    internal void OnPaged()
    {
        Interlocked.Increment(ref _pagesReceived);
        NoteActivity();
        if (IsAsleep) _ = _queue.Enqueue(() => WakeAsync(_stopping.Token));
    }

    /// <summary>From the network's sweep: queues going to sleep when idle long enough (or
    /// <paramref name="force"/>).</summary>
    internal void SleepIfIdle(bool force)
    {
        if (_env.Paging is not { } paging || IsAsleep || _stopping.IsCancellationRequested) return;
        if (!force && !paging.IdleLongEnough(Volatile.Read(ref _lastActivity))) return;
        if (_queue.Pending > 0 || !IsIdle()) return;
        if (Interlocked.Exchange(ref _sleepQueued, 1) == 1) return;
        _ = _queue.Enqueue(() => SleepAsync(force, _stopping.Token));
    }

    private void NoteActivity()
    {
        if (_env.Paging is { } paging) Volatile.Write(ref _lastActivity, paging.Timestamp());
    }

    private bool IsIdle()
    {
        lock (_gate)
        {
            return _download is null && _lastTransfer.IsCompleted && _mcu.IsPowered
                   && _mcu.ResetCount == _context.BootEpoch;
        }
    }

    private async Task SleepAsync(bool force, CancellationToken ct)
    {
        try
        {
            // Re-checked in the queue: a command, a page or a transfer may have come since the sweep looked.
            if (_env.Paging is not { } paging || IsAsleep || _queue.Pending > 1 || !_connection.IsConnected) return;
            if (!IsIdle() || (!force && !paging.IdleLongEnough(Volatile.Read(ref _lastActivity)))) return;
            long pages = Interlocked.Read(ref _pagesReceived);
            Volatile.Write(ref _asleep, 1);
            paging.MarkAsleep(this);
            _fetcher.ReleaseBuffers();
            await _outbox.FlushAsync(ct).ConfigureAwait(false);
            try
            {
                // Offline presence, then DISCONNECT: the broker drops the will and keeps the session.
                await _connection.DisconnectAsync(ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The link failed under the goodbye: the will says offline instead; the session stays all the same.
                await _connection.AbortAsync().ConfigureAwait(false);
            }
            // A page while going to sleep found the device still awake: the command may wait in the session.
            if (Interlocked.Read(ref _pagesReceived) != pages) await WakeAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _sleepQueued, 0);
        }
    }

    /// <summary>Runs in the queue: connects (the session's queued commands arrive), online presence and
    /// state.</summary>
    private async Task WakeAsync(CancellationToken ct)
    {
        if (!IsAsleep) return;
        Volatile.Write(ref _asleep, 0);
        NoteActivity();
        _env.Paging?.MarkAwake(this, woke: true);
        await ConnectWithRetryAsync(ct).ConfigureAwait(false);
        await PublishStateAsync(ct).ConfigureAwait(false);
    }
}
