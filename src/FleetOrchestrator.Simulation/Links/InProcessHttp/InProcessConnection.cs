using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace FleetOrchestrator.Simulation.Links.InProcessHttp;

/// <summary>
/// One in-process connection as Kestrel sees it: two pipes in place of a socket. Kestrel reads the request bytes
/// the client wrote and writes the response bytes the client reads, in the HTTP/1.1 wire format, parsed by Kestrel.
/// </summary>
internal sealed class InProcessConnection : ConnectionContext
{
    private readonly CancellationTokenSource _closed = new();
    private readonly InProcessClientStream _client;
    private int _closeSignalled;

    public InProcessConnection(string connectionId, InProcessHttpEndPoint endPoint, PipeOptions options)
    {
        var toServer = new Pipe(options);
        var toClient = new Pipe(options);
        ConnectionId = connectionId;
        Transport = new ServerEnd(toServer.Reader, toClient.Writer);
        _client = new InProcessClientStream(toClient.Reader, toServer.Writer, SignalClosed);
        LocalEndPoint = endPoint;
        RemoteEndPoint = endPoint;
        ConnectionClosed = _closed.Token;
    }

    /// <summary>The client's end: what a <see cref="System.Net.Http.SocketsHttpHandler"/> connect callback returns.</summary>
    public Stream ClientStream => _client;

    public override string ConnectionId { get; set; }

    public override IFeatureCollection Features { get; } = new FeatureCollection();

    public override IDictionary<object, object?> Items { get; set; } = new Dictionary<object, object?>();

    public override IDuplexPipe Transport { get; set; }

    public override void Abort(ConnectionAbortedException abortReason)
    {
        _client.AbortFromServer(abortReason);
        SignalClosed();
    }

    public override ValueTask DisposeAsync()
    {
        // Kestrel is done with both pipes: completing them is the FIN the client reads as end of stream.
        Transport.Input.Complete();
        Transport.Output.Complete();
        return ValueTask.CompletedTask;
    }

    /// <summary>Like a socket transport, tells Kestrel the peer is gone; off the caller's thread, so Kestrel's callbacks never run inside a client call.</summary>
    private void SignalClosed()
    {
        if (Interlocked.Exchange(ref _closeSignalled, 1) == 0)
            ThreadPool.UnsafeQueueUserWorkItem(static cts => cts.Cancel(), _closed, preferLocal: false);
    }

    private sealed class ServerEnd(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
