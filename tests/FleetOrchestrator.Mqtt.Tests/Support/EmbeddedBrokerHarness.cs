using FleetOrchestrator.Mqtt.Configuration;
using FleetOrchestrator.Mqtt.Embedded;
using FleetOrchestrator.Mqtt.Security;
using FleetOrchestrator.Simulation.Links.InProcessMqtt;
using FleetOrchestrator.Simulation.Links.DeviceMqtt;

namespace FleetOrchestrator.Mqtt.Tests.Support;

/// <summary>
/// A started embedded broker on a free loopback port with a few registered devices, and their connections. The
/// broker also serves the simulator's in-process MQTT link (as <c>fleet simulate</c> registers it), so a device can
/// connect over either. Shared by the Mqtt and Simulation test projects (linked, not copied).
/// </summary>
internal sealed class EmbeddedBrokerHarness : IAsyncDisposable
{
    public const string ServiceUser = "fleet-orchestrator";
    public const string ServiceSecret = "service-secret-for-tests";
    private readonly List<DeviceMqttConnection> _connections = [];
    private readonly Dictionary<string, string> _secrets = [];

    private EmbeddedBrokerHarness(
        EmbeddedMqttBroker broker, InProcessMqttConnector inProcess, HashedCredentialStore credentials,
        RecordingTrafficHandler traffic)
    {
        Broker = broker;
        InProcessClients = inProcess;
        Credentials = credentials;
        Traffic = traffic;
    }

    public EmbeddedMqttBroker Broker { get; }

    /// <summary>The in-process link to <see cref="Broker"/>.</summary>
    public InProcessMqttConnector InProcessClients { get; }
    public HashedCredentialStore Credentials { get; }
    public RecordingTrafficHandler Traffic { get; }

    public static async Task<EmbeddedBrokerHarness> StartAsync(EmbeddedBrokerOptions? options = null, params string[] deviceIds)
    {
        var credentials = new HashedCredentialStore(ServiceUser, ServiceSecret);
        var traffic = new RecordingTrafficHandler();
        var listener = new InProcessMqttListener();
        var broker = new EmbeddedMqttBroker(
            (options ?? new EmbeddedBrokerOptions()) with { Port = 0, ServiceUserName = ServiceUser },
            credentials, traffic, extraListeners: [listener]);
        var harness = new EmbeddedBrokerHarness(broker, new InProcessMqttConnector(listener), credentials, traffic);
        foreach (var id in deviceIds) harness.Register(id);
        await broker.StartAsync();
        return harness;
    }

    public string Register(string deviceId)
    {
        var secret = DeviceSecrets.Generate();
        Credentials.AddDevice(deviceId, secret);
        _secrets[deviceId] = secret;
        return secret;
    }

    public string SecretOf(string deviceId) => _secrets[deviceId];

    public DeviceMqttConnection Device(string deviceId, CommandInbox inbox, string? secret = null)
    {
        var connection = new DeviceMqttConnection(
            new DeviceConnectionOptions("127.0.0.1", Broker.Port, deviceId, secret ?? _secrets[deviceId]),
            inbox.OnCommand, inbox.OnMalformed);
        _connections.Add(connection);
        return connection;
    }

    /// <summary>A device that reaches the broker through its in-process link instead of loopback TCP.</summary>
    public DeviceMqttConnection InProcessDevice(string deviceId, CommandInbox inbox, string? secret = null)
    {
        var connection = new DeviceMqttConnection(
            new DeviceConnectionOptions("unused-host", 0, deviceId, secret ?? _secrets[deviceId])
            {
                Link = InProcessClients,
            },
            inbox.OnCommand, inbox.OnMalformed);
        _connections.Add(connection);
        return connection;
    }

    public async Task<DeviceMqttConnection> ConnectedDevice(string deviceId, CommandInbox inbox, bool inProcess = false)
    {
        var device = inProcess ? InProcessDevice(deviceId, inbox) : Device(deviceId, inbox);
        var outcome = await device.ConnectAsync();
        Assert.True(outcome.IsConnected, $"device {deviceId} could not connect: {outcome.ResultCode} {outcome.Reason}");
        return device;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections) await connection.DisposeAsync();
        await Broker.DisposeAsync();
    }
}
