using FleetOrchestrator.Mqtt.Tests.Support;
using FleetOrchestrator.Simulation.Links.DeviceMqtt;

namespace FleetOrchestrator.Simulation.Tests.Links.InProcessMqtt;

// Alone: the descriptor count must not include sockets that tests running in parallel open meanwhile.
[CollectionDefinition(nameof(InProcessScaleTests), DisableParallelization = true)]
public sealed class InProcessScaleCollection;

[Collection(nameof(InProcessScaleTests))]
public sealed class InProcessScaleTests
{
    private const int Devices = 2000;

    [Fact]
    public async Task Two_thousand_in_process_devices_connect_without_opening_a_single_file_descriptor()
    {
        var ids = Enumerable.Range(0, Devices).Select(i => $"mem-{i:00000}").ToArray();
        await using var harness = await EmbeddedBrokerHarness.StartAsync(null, ids);
        // Warm up first (thread pool, JIT, MQTTnet's timers), so the count compares steady states.
        await harness.ConnectedDevice(ids[0], new CommandInbox(), inProcess: true);
        int before = OpenFileDescriptors();

        var devices = new DeviceMqttConnection[Devices - 1];
        for (int start = 1; start < Devices; start += 200)
        {
            var batch = Enumerable.Range(start, Math.Min(200, Devices - start))
                .Select(async i => devices[i - 1] = await harness.ConnectedDevice(ids[i], new CommandInbox(), inProcess: true));
            await Task.WhenAll(batch);
        }
        int after = OpenFileDescriptors();

        Assert.Equal(Devices, (await harness.Broker.Server.GetClientsAsync()).Count);
        Assert.All(devices, d => Assert.True(d.IsConnected));
        // Over loopback TCP this would be +2 per device (both socket ends in one process): +3,998. The slack covers
        // unrelated descriptors the runtime may open meanwhile (another test's socket, a log file).
        Assert.True(after - before < 64, $"open file descriptors went from {before} to {after} for {Devices - 1} in-process connections");
    }

    private static int OpenFileDescriptors() => Directory.GetFiles("/proc/self/fd").Length;
}
