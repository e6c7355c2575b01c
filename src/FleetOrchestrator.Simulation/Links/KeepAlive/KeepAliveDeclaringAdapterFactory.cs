using MQTTnet;
using MQTTnet.Adapter;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Implementations;

namespace FleetOrchestrator.Simulation.Links.KeepAlive;

/// <summary>
/// Client adapters whose CONNECT declares <see cref="KeepAliveSeconds"/> while the client itself is configured with
/// keep-alive 0. MQTTnet derives both the CONNECT field and its own per-client ping loop from one option; a connection
/// kept alive by <see cref="SharedKeepAlive"/> needs the first without the second.
/// </summary>
public sealed class KeepAliveDeclaringAdapterFactory : IMqttClientAdapterFactory
{
    private readonly IMqttClientAdapterFactory _inner;

    /// <param name="inner">The link that carries the packets; null is MQTTnet's own TCP/WebSocket factory.</param>
    public KeepAliveDeclaringAdapterFactory(IMqttClientAdapterFactory? inner, ushort keepAliveSeconds)
    {
        if (keepAliveSeconds == 0) throw new ArgumentOutOfRangeException(nameof(keepAliveSeconds), "a declared keep-alive must be at least 1 s");
        _inner = inner ?? new MqttClientAdapterFactory();
        KeepAliveSeconds = keepAliveSeconds;
    }

    public ushort KeepAliveSeconds { get; }

    public IMqttChannelAdapter CreateClientAdapter(MqttClientOptions options, MqttPacketInspector packetInspector, IMqttNetLogger logger) =>
        new KeepAliveDeclaringAdapter(_inner.CreateClientAdapter(options, packetInspector, logger), KeepAliveSeconds);
}
