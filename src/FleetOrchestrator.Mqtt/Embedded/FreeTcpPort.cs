using System.Net;
using System.Net.Sockets;

namespace FleetOrchestrator.Mqtt.Embedded;

/// <summary>
/// MQTTnet does not report the port it bound when asked for port 0, so we ask the OS for a free one first. Another
/// process could take it in between; the broker start retries on a bind failure for that reason.
/// </summary>
public static class FreeTcpPort
{
    public static int Pick(IPAddress address)
    {
        using var listener = new TcpListener(address, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
