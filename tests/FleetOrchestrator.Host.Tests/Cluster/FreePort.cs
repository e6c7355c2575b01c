using System.Net;
using System.Net.Sockets;

namespace FleetOrchestrator.Host.Tests.Cluster;

/// <summary>A loopback TCP port free right now: a seed node must be named by a fixed port before it starts.</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
