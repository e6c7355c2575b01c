using System.IO.Pipelines;
using System.Net;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;

namespace FleetOrchestrator.Simulation.Links.InProcessHttp;

/// <summary>
/// Kestrel's accept loop for the in-process endpoint: each <see cref="Connect"/> queues a fresh pipe pair that
/// the next <see cref="AcceptAsync"/> hands to Kestrel, exactly where a socket listener would hand over an accepted socket.
/// </summary>
internal sealed class InProcessConnectionListener(InProcessHttpEndPoint endPoint) : IConnectionListener
{
    /// <summary>
    /// How much one direction of a connection may hold before its writer waits for the reader: a few 4 KB range
    /// responses, so 10,000 connections stay within a few hundred MB even when readers lag.
    /// </summary>
    public const long PauseWriterThreshold = 64 * 1024;

    public const long ResumeWriterThreshold = 32 * 1024;

    private static readonly PipeOptions Options = new(
        pauseWriterThreshold: PauseWriterThreshold,
        resumeWriterThreshold: ResumeWriterThreshold,
        useSynchronizationContext: false);

    private readonly Channel<InProcessConnection> _pending = Channel.CreateUnbounded<InProcessConnection>();
    private long _connected;
    private long _accepted;

    public EndPoint EndPoint => endPoint;

    /// <summary>Connections Kestrel has taken from this listener so far.</summary>
    public long AcceptedConnections => Interlocked.Read(ref _accepted);

    /// <summary>Opens a connection and returns the client's end; Kestrel reads the request from it once it accepts.</summary>
    public Stream Connect()
    {
        var id = Interlocked.Increment(ref _connected);
        var connection = new InProcessConnection($"inproc-{id}", endPoint, Options);
        if (_pending.Writer.TryWrite(connection)) return connection.ClientStream;
        connection.ClientStream.Dispose();
        throw new IOException("the in-process HTTP endpoint is no longer listening: the server is stopping or stopped");
    }

    public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        // A null return is how a Kestrel listener says it was unbound.
        try
        {
            while (await _pending.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (_pending.Reader.TryRead(out var connection))
                {
                    Interlocked.Increment(ref _accepted);
                    return connection;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        return null;
    }

    public ValueTask UnbindAsync(CancellationToken cancellationToken = default)
    {
        _pending.Writer.TryComplete();
        // A client that connected after Kestrel's last accept would otherwise wait forever for a response: close it, as a refused socket would.
        while (_pending.Reader.TryRead(out var orphan)) orphan.ClientStream.Dispose();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => UnbindAsync();
}
