using System.Net;
using System.Net.Sockets;

namespace FleetOrchestrator.Simulation.Links.InProcessHttp;

/// <summary>
/// The Kestrel endpoint same-process clients reach through <see cref="InProcessHttpConnector"/>: not a socket
/// address, so the socket transport refuses it and only the in-process listener factory binds it.
/// </summary>
public sealed class InProcessHttpEndPoint : EndPoint
{
    /// <summary>
    /// Kestrel lists a bound endpoint as <c>http://{endpoint}</c>; a host-name-shaped text keeps that a valid URI for
    /// code that parses every bound address.
    /// </summary>
    public const string Name = "fleet.in-process";

    public static InProcessHttpEndPoint Instance { get; } = new();

    private InProcessHttpEndPoint()
    {
    }

    public override AddressFamily AddressFamily => AddressFamily.Unspecified;

    public override string ToString() => Name;
}
