using System.Net;
using Microsoft.AspNetCore.Connections;

namespace FleetOrchestrator.Simulation.Links.InProcessHttp;

/// <summary>
/// The Kestrel transport for <see cref="InProcessHttpEndPoint"/>. It claims only that endpoint type through
/// <see cref="IConnectionListenerFactorySelector"/>, so Kestrel keeps binding every TCP URL with its socket transport.
/// One per server (a DI singleton): the connector of one app never reaches another app's Kestrel.
/// </summary>
internal sealed class InProcessConnectionListenerFactory : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    private InProcessConnectionListener? _listener;

    /// <summary>The listener of the current binding; null before the server starts.</summary>
    public InProcessConnectionListener? Listener => Volatile.Read(ref _listener);

    public bool CanBind(EndPoint endpoint) => endpoint is InProcessHttpEndPoint;

    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        if (endpoint is not InProcessHttpEndPoint inProcess)
            throw new ArgumentException($"the in-process transport binds only {nameof(InProcessHttpEndPoint)}, not {endpoint}", nameof(endpoint));
        var listener = new InProcessConnectionListener(inProcess);
        Volatile.Write(ref _listener, listener);
        return ValueTask.FromResult<IConnectionListener>(listener);
    }
}
