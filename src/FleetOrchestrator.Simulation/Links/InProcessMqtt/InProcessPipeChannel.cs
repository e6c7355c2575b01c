using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using MQTTnet.Channel;

namespace FleetOrchestrator.Simulation.Links.InProcessMqtt;

/// <summary>
/// One end of an in-process MQTT link: reads what the other end wrote into one pipe and writes into the other. MQTTnet's
/// <c>MqttChannelAdapter</c> sits on top, so the bytes are exactly the MQTT packets a socket would carry. Closing an
/// end (dispose or disconnect) completes its writer, so the peer's next read returns 0, which MQTTnet reads as "the
/// connection dropped" (the broker then fires the last will), and completes its reader, so the peer's next write fails.
/// </summary>
/// <remarks>
/// MQTTnet never reads or writes one channel from two threads at once (one receive loop, writes behind a lock), but it
/// may dispose a channel while its receive loop is waiting in <see cref="ReadAsync"/>. A pipe end must not be completed
/// while it is in use, so each direction has a small state (idle, busy, closed): a close that finds the direction busy
/// only wakes it up, and the busy call completes the pipe end on its way out.
/// </remarks>
internal sealed class InProcessPipeChannel : IMqttChannel
{
    private const int Idle = 0;
    private const int Busy = 1;
    private const int Closed = 2;

    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private readonly Func<CancellationToken, Task>? _connect;
    private int _readState;
    private int _writeState;

    /// <param name="connect">What <see cref="ConnectAsync"/> does: the client end hands its peer to the listener.</param>
    public InProcessPipeChannel(PipeReader input, PipeWriter output, EndPoint local, EndPoint remote, Func<CancellationToken, Task>? connect)
    {
        _input = input;
        _output = output;
        LocalEndPoint = local;
        RemoteEndPoint = remote;
        _connect = connect;
    }

    public EndPoint LocalEndPoint { get; }
    public EndPoint RemoteEndPoint { get; }
    public X509Certificate2? ClientCertificate => null;
    public bool IsSecureConnection => false;

    public Task ConnectAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _writeState) == Closed) throw Disposed();
        return _connect?.Invoke(cancellationToken) ?? Task.CompletedTask;
    }

    public Task DisconnectAsync(CancellationToken cancellationToken)
    {
        Close();
        return Task.CompletedTask;
    }

    public async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Enter(ref _readState);
        try
        {
            while (true)
            {
                var result = await _input.ReadAsync(cancellationToken).ConfigureAwait(false);
                // Only Close cancels a pending read.
                if (result.IsCanceled) throw Disposed();
                var data = result.Buffer;
                if (data.IsEmpty)
                {
                    _input.AdvanceTo(data.Start);
                    if (result.IsCompleted) return 0;
                    continue;
                }
                int taken = (int)Math.Min(count, data.Length);
                data.Slice(0, taken).CopyTo(buffer.AsSpan(offset, taken));
                _input.AdvanceTo(data.GetPosition(taken));
                return taken;
            }
        }
        finally
        {
            Leave(ref _readState, completeInput: true);
        }
    }

    public Task WriteAsync(ReadOnlySequence<byte> buffer, bool isEndOfPacket, CancellationToken cancellationToken)
    {
        Enter(ref _writeState);
        bool leaveHere = true;
        try
        {
            // MQTTnet reuses its buffers once this returns, so the bytes are copied into the pipe's pooled segments.
            foreach (var segment in buffer) _output.Write(segment.Span);
            // One wake-up of the reader per packet, not per fragment (header and payload arrive separately).
            if (!isEndOfPacket) return Task.CompletedTask;
            var flush = _output.FlushAsync(cancellationToken);
            if (flush.IsCompletedSuccessfully)
            {
                ThrowIfPeerGone(flush.Result);
                return Task.CompletedTask;
            }
            leaveHere = false;
            return AwaitFlushAsync(flush);
        }
        finally
        {
            if (leaveHere) Leave(ref _writeState, completeInput: false);
        }
    }

    // The slow path: the peer has not read the last PauseWriterThreshold bytes yet, so this writer waits (back-pressure).
    private async Task AwaitFlushAsync(ValueTask<FlushResult> flush)
    {
        try
        {
            ThrowIfPeerGone(await flush.ConfigureAwait(false));
        }
        finally
        {
            Leave(ref _writeState, completeInput: false);
        }
    }

    private void ThrowIfPeerGone(FlushResult result)
    {
        if (result.IsCanceled) throw Disposed();
        if (result.IsCompleted) throw new IOException($"in-process MQTT link {LocalEndPoint} -> {RemoteEndPoint}: the other end closed the link");
    }

    private void Enter(ref int state)
    {
        if (Interlocked.CompareExchange(ref state, Busy, Idle) != Idle) throw Disposed();
    }

    private void Leave(ref int state, bool completeInput)
    {
        if (Interlocked.CompareExchange(ref state, Idle, Busy) != Closed) return;
        // Closed while busy: the close left the pipe end to this call.
        if (completeInput) _input.Complete();
        else _output.Complete();
    }

    private void Close()
    {
        switch (Interlocked.Exchange(ref _writeState, Closed))
        {
            case Idle: _output.Complete(); break;
            case Busy: _output.CancelPendingFlush(); break;
        }
        switch (Interlocked.Exchange(ref _readState, Closed))
        {
            case Idle: _input.Complete(); break;
            case Busy: _input.CancelPendingRead(); break;
        }
    }

    private ObjectDisposedException Disposed() => new($"in-process MQTT link {LocalEndPoint} -> {RemoteEndPoint}");

    public void Dispose() => Close();
}
