namespace FleetOrchestrator.Simulation.Devices;

/// <summary>
/// Runs queued async work items one at a time, in order, on the thread pool: a device's command queue without a
/// thread (or a Channel and a parked reader loop) per device. A failing item does not stop the ones after it;
/// its exception goes to the error callback.
/// </summary>
public sealed class SerialWorkQueue(Action<Exception> onError)
{
    private readonly Lock _gate = new();
    private Task _tail = Task.CompletedTask;
    private int _pending;

    /// <summary>Items queued and not finished yet (the running one included).</summary>
    public int Pending => Volatile.Read(ref _pending);

    /// <summary>Queues <paramref name="work"/>; the returned task completes when it has run.</summary>
    public Task Enqueue(Func<Task> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        lock (_gate)
        {
            Interlocked.Increment(ref _pending);
            var next = _tail.ContinueWith(async _ =>
            {
                try
                {
                    await work().ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    onError(e);
                }
                catch (OperationCanceledException)
                {
                    // Shutting down: the remaining items see the same token and end too.
                }
                finally
                {
                    Interlocked.Decrement(ref _pending);
                }
            }, CancellationToken.None, TaskContinuationOptions.DenyChildAttach, TaskScheduler.Default).Unwrap();
            _tail = next;
            return next;
        }
    }

    /// <summary>Completes when everything queued so far has run.</summary>
    public Task Drained
    {
        get { lock (_gate) return _tail; }
    }
}
