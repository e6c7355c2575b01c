using FleetOrchestrator.Firmware.Signing;
using FleetOrchestrator.Mqtt.Configuration;
using FleetOrchestrator.Mqtt.Embedded;
using FleetOrchestrator.Mqtt.Security;
using FleetOrchestrator.Protocol.Messages;
using FleetOrchestrator.Simulation.Devices;
using FleetOrchestrator.Simulation.Fleet;
using FleetOrchestrator.Simulation.Tests.Support;

namespace FleetOrchestrator.Simulation.Tests.Devices;

/// <summary>A broker that goes away and comes back: the device notices, reconnects on its own and is reachable again.</summary>
public sealed class BrokerRestartTests
{
    [Fact]
    public async Task After_a_broker_restart_the_device_reconnects_reports_its_state_and_answers_commands()
    {
        const string id = "restart-1";
        var credentials = new HashedCredentialStore(SimulationRig.ServiceUser, "service-secret-for-tests");
        credentials.AddDevice(id, SimulatedFleet.SecretOf(3, id));
        var before = new RecordingTraffic();
        var first = new EmbeddedMqttBroker(new EmbeddedBrokerOptions { Port = 0, ServiceUserName = SimulationRig.ServiceUser }, credentials, before);
        await first.StartAsync();
        int port = first.Port;
        using var http = new HttpClient();
        await using var device = new SimulatedDevice(new SimulatedDeviceOptions(id, SimulatedFleet.SecretOf(3, id)), new SimulationEnvironment
        {
            BrokerHost = "127.0.0.1",
            BrokerPort = port,
            Http = http,
            TrustedKeys = new Dictionary<string, ManifestVerificationKey>(),
        });
        await device.StartAsync();
        await before.WaitFor<DeviceBooted>(id);

        await first.DisposeAsync();
        var after = new RecordingTraffic();
        await using var second = new EmbeddedMqttBroker(new EmbeddedBrokerOptions { Port = port, ServiceUserName = SimulationRig.ServiceUser }, credentials, after);
        await second.StartAsync();

        Assert.True((await after.WaitFor<DevicePresence>(id)).Online);
        var state = await after.WaitFor<DeviceStateReport>(id);
        Assert.Equal(SimulationRig.V100, state.RunningVersion);
        Assert.Empty(after.All<DeviceBooted>(id)); // a reconnect, not a reset
        await second.CommandSender.SendAsync(id, new GetState("after-restart"));
        Assert.Equal("after-restart", (await after.Answer<StateReported>(id, "after-restart")).CommandId);
        Assert.Equal(2, device.Counters.Connects);
    }
}
