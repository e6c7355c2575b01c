namespace FleetOrchestrator.Simulation.Links.InProcessHttp;

/// <summary>
/// The client side of the in-process link: HTTP clients in the server's own process (simulated devices) reach
/// Kestrel through pipes instead of loopback TCP. The requests are the same HTTP/1.1 bytes, parsed by Kestrel and
/// run through the same middleware (device authentication, grants, ranges); only the socket and its file
/// descriptor are gone. Registered in DI by <see cref="InProcessHttpRegistration.AddInProcessHttpLink"/>.
/// </summary>
public sealed class InProcessHttpConnector
{
    private readonly InProcessConnectionListenerFactory _transport;

    internal InProcessHttpConnector(InProcessConnectionListenerFactory transport) => _transport = transport;

    /// <summary>Connections Kestrel has accepted on the in-process endpoint since the server started.</summary>
    public long AcceptedConnections => _transport.Listener?.AcceptedConnections ?? 0;

    /// <summary>
    /// A handler whose every connection is in-process, whatever host and port the request URL names, so a
    /// download URL built for TCP (<see cref="FleetOrchestrator.Server.Downloads.DownloadUrls"/>) works unchanged.
    /// Connections are pooled and kept alive as over TCP; <paramref name="maxConnectionsPerServer"/> bounds how many
    /// are open at once.
    /// </summary>
    public SocketsHttpHandler CreateHandler(int maxConnectionsPerServer = 256)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConnectionsPerServer, 1);
        return new SocketsHttpHandler
        {
            ConnectCallback = (_, cancellationToken) => ConnectAsync(cancellationToken),
            MaxConnectionsPerServer = maxConnectionsPerServer,
            // A proxy from the environment would change the request form and the connect target; there is no network here.
            UseProxy = false,
        };
    }

    /// <summary>Opens one raw connection to Kestrel: write an HTTP/1.1 request, read the response.</summary>
    public ValueTask<Stream> ConnectAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var listener = _transport.Listener
            ?? throw new IOException("the in-process HTTP endpoint is not listening: the server has not started");
        return ValueTask.FromResult(listener.Connect());
    }
}
