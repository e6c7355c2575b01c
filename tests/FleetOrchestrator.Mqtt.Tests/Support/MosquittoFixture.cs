using FleetOrchestrator.Mqtt.Configuration;
using FleetOrchestrator.Simulation.Links.DeviceMqtt;

namespace FleetOrchestrator.Mqtt.Tests.Support;

/// <summary>One Mosquitto for the Mosquitto test class; each test uses its own device ids and consumer group.</summary>
public sealed class MosquittoFixture : IAsyncLifetime
{
    private MosquittoBroker? _broker;

    internal MosquittoBroker Broker => _broker ?? throw new InvalidOperationException("Mosquitto is not started");

    public static IEnumerable<string> DeviceIds => Enumerable.Range(1, 24).Select(i => $"mdev-{i:00}");

    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartAsync(DeviceIds);

    public async Task DisposeAsync()
    {
        if (_broker is not null) await _broker.DisposeAsync();
    }

    internal DeviceMqttConnection Device(string deviceId, CommandInbox inbox, string? secret = null) =>
        new(new DeviceConnectionOptions("127.0.0.1", Broker.Port, deviceId, secret ?? Broker.DeviceSecrets[deviceId]), inbox.OnCommand, inbox.OnMalformed);

    /// <summary>Orchestrator-side options; a fresh group per test so no earlier test's session takes a share.</summary>
    internal ExternalBrokerOptions Orchestrator(string clientSuffix, string group) => new()
    {
        Host = "127.0.0.1",
        Port = Broker.Port,
        UserName = MosquittoBroker.ServiceUser,
        Password = MosquittoBroker.ServiceSecret,
        ClientId = $"fleet-orchestrator-{clientSuffix}",
        SharedSubscriptionGroup = group,
        SessionExpirySeconds = 0,
        ReconnectInterval = TimeSpan.FromMilliseconds(200),
    };
}
