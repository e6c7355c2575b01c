using FleetOrchestrator.Mqtt.Configuration;
using FleetOrchestrator.Mqtt.Device;
using FleetOrchestrator.Mqtt.Embedded;
using FleetOrchestrator.Mqtt.Security;

namespace FleetOrchestrator.Mqtt.Tests.Support;

/// <summary>A started embedded broker on a free loopback port with a few registered devices, and their connections.</summary>
internal sealed class EmbeddedBrokerHarness : IAsyncDisposable
{
    public const string ServiceUser = "fleet-orchestrator";
    public const string ServiceSecret = "service-secret-for-tests";
    private readonly List<DeviceMqttConnection> _connections = [];
    private readonly Dictionary<string, string> _secrets = [];

    private EmbeddedBrokerHarness(EmbeddedMqttBroker broker, HashedCredentialStore credentials, RecordingTrafficHandler traffic)
    {
        Broker = broker;
        Credentials = credentials;
        Traffic = traffic;
    }

    public EmbeddedMqttBroker Broker { get; }
    public HashedCredentialStore Credentials { get; }
    public RecordingTrafficHandler Traffic { get; }

    public static async Task<EmbeddedBrokerHarness> StartAsync(EmbeddedBrokerOptions? options = null, params string[] deviceIds)
    {
        var credentials = new HashedCredentialStore(ServiceUser, ServiceSecret);
        var traffic = new RecordingTrafficHandler();
        var broker = new EmbeddedMqttBroker((options ?? new EmbeddedBrokerOptions()) with { Port = 0, ServiceUserName = ServiceUser }, credentials, traffic);
        var harness = new EmbeddedBrokerHarness(broker, credentials, traffic);
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
            new DeviceConnectionOptions("unused-host", 0, deviceId, secret ?? _secrets[deviceId]) { Link = Broker.InProcessClients },
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
