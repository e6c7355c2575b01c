using System.Buffers;
using System.IO.Pipelines;

namespace FleetOrchestrator.Simulation.Links.InProcessHttp;

/// <summary>
/// The client's end of an in-process connection as a <see cref="Stream"/>, behaving as a connected socket's
/// NetworkStream would for <see cref="System.Net.Http.SocketsHttpHandler"/>: 0 at end of stream, zero-byte reads
/// that wait for data without consuming it (the handler's idle-connection probe), IOException once the server aborted.
/// </summary>
internal sealed class InProcessClientStream(PipeReader fromServer, PipeWriter toServer, Action onClosed) : Stream
{
    // Pipe ends are single-owner: these gates keep the client's own calls and a server abort or a dispose from
    // touching the same end at once.
    private readonly Lock _readGate = new();
    private readonly Lock _writeGate = new();
    private bool _reading;
    private bool _disposed;
    private bool _writerCompleted;
    private Exception? _abortReason;

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        lock (_readGate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_reading) throw new InvalidOperationException("the in-process connection is already being read");
            _reading = true;
        }
        try
        {
            while (true)
            {
                var result = await fromServer.ReadAsync(cancellationToken).ConfigureAwait(false);
                var data = result.Buffer;
                if (result.IsCanceled)
                {
                    fromServer.AdvanceTo(data.Start);
                    if (Volatile.Read(ref _abortReason) is { } reason)
                        throw new IOException("the server aborted the in-process connection", reason);
                    ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed), this);
                    continue;
                }
                if (buffer.IsEmpty || data.IsEmpty)
                {
                    fromServer.AdvanceTo(data.Start);
                    if (buffer.IsEmpty || result.IsCompleted) return 0;
                    continue;
                }
                int count = (int)Math.Min(buffer.Length, data.Length);
                data.Slice(0, count).CopyTo(buffer.Span);
                fromServer.AdvanceTo(data.GetPosition(count));
                return count;
            }
        }
        finally
        {
            lock (_readGate)
            {
                _reading = false;
                if (_disposed) fromServer.Complete();
            }
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        lock (_writeGate)
        {
            if (_writerCompleted) throw Closed();
            toServer.Write(buffer.Span);
        }
        var flushed = await toServer.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (flushed.IsCompleted) throw Closed();
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // The handler's synchronous Send path; simulated devices use the asynchronous one.
    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    /// <summary>Every write is flushed to the server as it is made.</summary>
    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>Kestrel aborted the connection: like a reset socket, pending and later calls fail with IOException.</summary>
    internal void AbortFromServer(Exception reason)
    {
        Volatile.Write(ref _abortReason, reason);
        CompleteWriter(reason);
        lock (_readGate)
        {
            if (!_disposed) fromServer.CancelPendingRead();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lock (_readGate)
            {
                if (_disposed) return;
                _disposed = true;
                // A read in progress completes the reader itself when it returns.
                if (_reading) fromServer.CancelPendingRead();
                else fromServer.Complete();
            }
            CompleteWriter(null);
            onClosed();
        }
        base.Dispose(disposing);
    }

    private void CompleteWriter(Exception? reason)
    {
        lock (_writeGate)
        {
            if (_writerCompleted) return;
            _writerCompleted = true;
            toServer.Complete(reason);
        }
    }

    private IOException Closed() =>
        Volatile.Read(ref _abortReason) is { } reason
            ? new IOException("the server aborted the in-process connection", reason)
            : new IOException("the in-process connection is closed");
}
