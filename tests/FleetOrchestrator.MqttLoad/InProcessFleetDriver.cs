using FleetOrchestrator.Mqtt.Device;
using FleetOrchestrator.Mqtt.Embedded;

namespace FleetOrchestrator.MqttLoad;

/// <summary>
/// The devices in the broker's own process, on <see cref="EmbeddedMqttBroker.InProcessClients"/>: what `fleet simulate`
/// does. CPU and memory figures then cover broker and devices together.
/// </summary>
internal sealed class InProcessFleetDriver(EmbeddedMqttBroker broker, int count, int concurrency) : IDeviceFleetDriver
{
    private readonly DeviceFleet _fleet = new(count, concurrency,
        (id, secret) => new DeviceConnectionOptions("in-process", 0, id, secret) { Link = broker.InProcessClients });

    public async Task<(TimeSpan Elapsed, string Memory)> ConnectAllAsync()
    {
        var before = ProcessMemory.Measure();
        var elapsed = await _fleet.ConnectAllAsync();
        return (elapsed, "(broker and devices) " + ProcessMemory.PerConnection(before, ProcessMemory.Measure(), count));
    }

    public Task<Task> ExpectAsync(int expected) => Task.FromResult(_fleet.Expect(expected));

    public Task PublishOneEventEachAsync() => _fleet.PublishOneEventEachAsync();

    public ValueTask DisposeAsync() => _fleet.DisposeAsync();
}
