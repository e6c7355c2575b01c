using FleetOrchestrator.Mqtt.Configuration;
using FleetOrchestrator.Mqtt.External;
using FleetOrchestrator.Mqtt.Tests.Support;
using MQTTnet;

namespace FleetOrchestrator.Mqtt.Tests.Mosquitto;

/// <summary>
/// The orchestrator's one broker connection carries the whole fleet's traffic. MQTTnet's client pins its socket buffers
/// at 8 KiB unless told otherwise, which stalled a 3,000-device fleet on Mosquitto for tens of seconds at a time.
/// </summary>
public sealed class ExternalBrokerSocketBufferTests
{
    [Fact]
    public async Task The_orchestrators_connection_asks_for_megabyte_socket_buffers_by_default()
    {
        await using var transport = new ExternalBrokerTransport(new ExternalBrokerOptions(), new RecordingTrafficHandler());

        var tcp = Assert.IsType<MqttClientTcpOptions>(transport.ClientOptions.ChannelOptions);

        Assert.Equal(4 * 1024 * 1024, tcp.BufferSize);
        Assert.True(tcp.BufferSize > new MqttClientTcpOptions().BufferSize, "the default must beat MQTTnet's own");
    }

    [Fact]
    public async Task The_socket_buffer_size_is_configurable()
    {
        await using var transport = new ExternalBrokerTransport(new ExternalBrokerOptions { SocketBufferBytes = 256 * 1024 }, new RecordingTrafficHandler());

        Assert.Equal(256 * 1024, Assert.IsType<MqttClientTcpOptions>(transport.ClientOptions.ChannelOptions).BufferSize);
    }
}
