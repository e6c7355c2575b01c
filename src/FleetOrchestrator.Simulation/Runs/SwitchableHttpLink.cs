using FleetOrchestrator.Simulation.Links.InProcessHttp;

namespace FleetOrchestrator.Simulation.Runs;

/// <summary>
/// The simulated devices' in-process HTTP link across orchestrator restarts: every new connection goes to the
/// Kestrel of the orchestrator running now; while none runs, connecting fails as a refused TCP connect would.
/// </summary>
internal sealed class SwitchableHttpLink
{
    private volatile InProcessHttpConnector? _current;

    public void Switch(InProcessHttpConnector? connector) => _current = connector;

    /// <summary>A pooled handler like <see cref="InProcessHttpConnector.CreateHandler"/>, bound to whichever server runs.</summary>
    public SocketsHttpHandler CreateHandler(int maxConnectionsPerServer) => new()
    {
        ConnectCallback = (_, cancellationToken) => (_current
            ?? throw new HttpRequestException("the orchestrator is restarting: no HTTP server to connect to"))
            .ConnectAsync(cancellationToken),
        MaxConnectionsPerServer = maxConnectionsPerServer,
        // A proxy from the environment would change the request form and the connect target; there is no network here.
        UseProxy = false,
    };
}
