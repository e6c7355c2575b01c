using MQTTnet.Adapter;
using MQTTnet.Diagnostics.Logger;
using MQTTnet;
using MQTTnet.Formatter;

namespace FleetOrchestrator.Simulation.Links.InProcessMqtt;

/// <summary>
/// What a client in the broker's own process uses instead of a socket: pass it to
/// <c>new MqttClientFactory().CreateMqttClient(connector)</c> (or set <c>DeviceConnectionOptions.Link</c>). Each
/// connect opens a fresh in-process link to the <see cref="InProcessMqttListener"/>; the client's options (client id,
/// credentials, will, keep-alive, protocol version) are used as over TCP, its TCP host and port are ignored.
/// </summary>
public sealed class InProcessMqttConnector : IMqttClientAdapterFactory
{
    private readonly InProcessMqttListener _listener;
    private long _anonymous;

    public InProcessMqttConnector(InProcessMqttListener listener)
    {
        ArgumentNullException.ThrowIfNull(listener);
        _listener = listener;
    }

    public IMqttChannelAdapter CreateClientAdapter(MqttClientOptions options, MqttPacketInspector packetInspector, IMqttNetLogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        var name = string.IsNullOrEmpty(options.ClientId) ? $"anonymous-{Interlocked.Increment(ref _anonymous)}" : options.ClientId;
        var channel = InProcessLink.CreateClientEnd(name, (brokerEnd, _) => _listener.AcceptAsync(brokerEnd));
        // Same formatter set-up as MQTTnet's own client adapter factory.
        var writer = new MqttBufferWriter(options.WriterBufferSize, options.WriterBufferSizeMax);
        return new MqttChannelAdapter(channel, new MqttPacketFormatterAdapter(options.ProtocolVersion, writer), logger)
        {
            AllowPacketFragmentation = options.AllowPacketFragmentation,
            PacketInspector = packetInspector,
        };
    }
}
