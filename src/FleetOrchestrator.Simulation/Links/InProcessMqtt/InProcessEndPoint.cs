using System.Net;

namespace FleetOrchestrator.Simulation.Links.InProcessMqtt;

/// <summary>
/// The address of one end of an in-process MQTT link, so that the broker's logs, refusals and
/// <c>ValidatingConnectionEventArgs.RemoteEndPoint</c> name the link ("inprocess:dev-00001") where a TCP client would
/// show "127.0.0.1:53211". There is no port and nothing to resolve: it only labels.
/// </summary>
public sealed class InProcessEndPoint(string name) : EndPoint, IEquatable<InProcessEndPoint>
{
    public const string Scheme = "inprocess";

    /// <summary>The broker's side of every link.</summary>
    public static readonly InProcessEndPoint Broker = new("broker");

    public string Name { get; } = name ?? throw new ArgumentNullException(nameof(name));

    public override string ToString() => $"{Scheme}:{Name}";

    public bool Equals(InProcessEndPoint? other) => other is not null && other.Name == Name;

    public override bool Equals(object? obj) => obj is InProcessEndPoint other && Equals(other);

    public override int GetHashCode() => Name.GetHashCode(StringComparison.Ordinal);
}
