using FleetOrchestrator.Mqtt.Configuration;
using FleetOrchestrator.Mqtt.External;
using FleetOrchestrator.Mqtt.Tests.Support;
using FleetOrchestrator.Protocol.Messages;
using FleetOrchestrator.Simulation.Links.DeviceMqtt;

namespace FleetOrchestrator.Mqtt.Tests.Mosquitto;

public sealed class MosquittoReconnectTests
{
    [Fact]
    public async Task After_a_broker_restart_the_orchestrator_reconnects_resubscribes_and_takes_traffic_again()
    {
        var secrets = new Dictionary<string, string> { ["rdev-1"] = FleetOrchestrator.Mqtt.Security.DeviceSecrets.Generate() };
        var first = await MosquittoBroker.StartAsync(secrets, port: null);
        int port = first.Port;
        var traffic = new RecordingTrafficHandler();
        var sessions = new List<bool>();
        var reconnected = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var orchestrator = new ExternalBrokerTransport(new ExternalBrokerOptions
        {
            Port = port,
            UserName = MosquittoBroker.ServiceUser,
            Password = MosquittoBroker.ServiceSecret,
            ClientId = "fleet-orchestrator-restart",
            SharedSubscriptionGroup = "restart",
            ReconnectInterval = TimeSpan.FromMilliseconds(100),
        }, traffic);
        orchestrator.Connected += sessionPresent =>
        {
            lock (sessions) sessions.Add(sessionPresent);
            if (sessions.Count == 2) reconnected.TrySetResult(sessionPresent);
        };
        await orchestrator.StartAsync();

        await first.DisposeAsync();
        await using var second = await MosquittoBroker.StartAsync(secrets, port);
        var sessionPresent = await reconnected.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await using var device = new DeviceMqttConnection(
            new DeviceConnectionOptions("127.0.0.1", port, "rdev-1", secrets["rdev-1"]), _ => Task.CompletedTask);
        Assert.True((await device.ConnectAsync()).IsConnected);
        await device.PublishEventAsync(new HealthReported(null, 1, true, "after restart"));

        // The new broker has no memory of the old session: the orchestrator must have subscribed again.
        Assert.False(sessionPresent);
        await traffic.WaitFor<EventTraffic>(e => e.DeviceId == "rdev-1");
        await orchestrator.SendAsync("rdev-1", new GetState("after-restart"));
    }
}
