using System.Net;
using System.Net.Sockets;

namespace FleetOrchestrator.Mqtt.Embedded;

/// <summary>
/// A free port for a process that cannot report the port it bound when asked for port 0 (a Mosquitto we start): we
/// ask the OS for one first. Another process could take it in between. The embedded broker binds port 0 itself.
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
