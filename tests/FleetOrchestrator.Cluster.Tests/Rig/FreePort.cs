using System.Net;
using System.Net.Sockets;

namespace FleetOrchestrator.Cluster.Tests.Rig;

/// <summary>A loopback TCP port free right now: a node's seed and HTTP ports are named before it starts.</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
