using MQTTnet.Adapter;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Server;

namespace FleetOrchestrator.Mqtt.Tests.Support;

/// <summary>An extra MQTTnet server adapter that accepts nothing and records what the broker's server did with
/// it.</summary>
internal sealed class RecordingServerAdapter : IMqttServerAdapter
{
    public Func<IMqttChannelAdapter, Task>? ClientHandler { get; set; }

    public int Starts { get; private set; }

    public int Stops { get; private set; }

    public Task StartAsync(MqttServerOptions options, IMqttNetLogger logger)
    {
        Starts++;
        return Task.CompletedTask;
    }

    public Task StopAsync()
    {
        Stops++;
        return Task.CompletedTask;
    }

    public void Dispose()
    {
    }
}
