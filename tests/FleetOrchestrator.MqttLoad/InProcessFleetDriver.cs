using FleetOrchestrator.Simulation.Links.DeviceMqtt;
using FleetOrchestrator.Simulation.Links.InProcessMqtt;

namespace FleetOrchestrator.MqttLoad;

/// <summary>
/// The devices in the broker's own process, on an <see cref="InProcessMqttConnector"/> to the embedded broker: what
/// `fleet simulate` does. CPU and memory figures then cover broker and devices together.
/// </summary>
internal sealed class InProcessFleetDriver(InProcessMqttConnector link, int count, int concurrency) : IDeviceFleetDriver
{
    private readonly DeviceFleet _fleet = new(count, concurrency,
        (id, secret) => new DeviceConnectionOptions("in-process", 0, id, secret) { Link = link });

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
