using MQTTnet;
using MQTTnet.Adapter;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Exceptions;
using MQTTnet.Formatter;

namespace FleetOrchestrator.Simulation.Runs;

/// <summary>
/// The simulated devices' in-process MQTT link across orchestrator restarts: each connect goes to the broker of the
/// orchestrator running now. While none runs, connecting fails as a refused TCP connect would, and the devices retry.
/// </summary>
internal sealed class SwitchableMqttLink : IMqttClientAdapterFactory
{
    private volatile IMqttClientAdapterFactory? _current;

    public void Switch(IMqttClientAdapterFactory? link) => _current = link;

    public IMqttChannelAdapter CreateClientAdapter(MqttClientOptions options, MqttPacketInspector packetInspector,
        IMqttNetLogger logger) =>
        (_current ?? throw new MqttCommunicationException("the orchestrator is restarting: no broker to connect to"))
            .CreateClientAdapter(options, packetInspector, logger);
}
