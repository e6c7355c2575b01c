using FleetOrchestrator.Mqtt.Configuration;
using FleetOrchestrator.Mqtt.Embedded;
using FleetOrchestrator.Mqtt.Security;
using FleetOrchestrator.Mqtt.Tests.Support;

namespace FleetOrchestrator.Mqtt.Tests.Embedded;

/// <summary>The broker's one extension point: extra server adapters, served beside TCP with the same server.</summary>
public sealed class EmbeddedBrokerExtraListenerTests
{
    [Fact]
    public async Task An_extra_listener_is_started_handed_the_servers_connection_handler_and_stopped_with_the_broker()
    {
        var extra = new RecordingServerAdapter();
        var credentials = new HashedCredentialStore(
            EmbeddedBrokerHarness.ServiceUser, EmbeddedBrokerHarness.ServiceSecret);
        await using var broker = new EmbeddedMqttBroker(
            new EmbeddedBrokerOptions { Port = 0, ServiceUserName = EmbeddedBrokerHarness.ServiceUser }, credentials,
            new RecordingTrafficHandler(), extraListeners: [extra]);

        await broker.StartAsync();
        Assert.Equal(1, extra.Starts);
        // The handler is the server's own: a connection the adapter hands it gets CONNECT validation and the ACL.
        Assert.NotNull(extra.ClientHandler);
        Assert.NotEqual(0, broker.Port);

        await broker.StopAsync();
        Assert.Equal(1, extra.Stops);
    }

    [Fact]
    public async Task Without_extra_listeners_the_broker_serves_tcp_only()
    {
        var credentials = new HashedCredentialStore(
            EmbeddedBrokerHarness.ServiceUser, EmbeddedBrokerHarness.ServiceSecret);
        await using var broker = new EmbeddedMqttBroker(
            new EmbeddedBrokerOptions { Port = 0, ServiceUserName = EmbeddedBrokerHarness.ServiceUser }, credentials,
            new RecordingTrafficHandler());

        await broker.StartAsync();

        Assert.NotEqual(0, broker.Port);
        Assert.DoesNotContain(
            typeof(EmbeddedMqttBroker).GetProperties(), p => p.Name.Contains("InProcess", StringComparison.Ordinal));
    }
}
