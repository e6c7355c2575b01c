using System.Net;
using FleetOrchestrator.Host.Orchestrator;
using FleetOrchestrator.Mqtt.Configuration;
using FleetOrchestrator.Mqtt.Embedded;
using FleetOrchestrator.Mqtt.Tests.Support;
using FleetOrchestrator.Orchestration.Persistence;
using FleetOrchestrator.Server.Hosting;
using FleetOrchestrator.Simulation.Links.DeviceMqtt;
using FleetOrchestrator.Simulation.Links.InProcessHttp;
using FleetOrchestrator.Simulation.Links.InProcessMqtt;
using FleetOrchestrator.Simulation.Links.KeepAlive;
using FleetOrchestrator.Simulation.Runs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet.Server;

namespace FleetOrchestrator.Simulation.Tests.Links;

/// <summary>
/// The simulator's links registered through the orchestrator's one composition (its <c>configure</c> hook), as
/// <c>fleet simulate</c> does, and the product without them.
/// </summary>
public sealed class OrchestratorDeviceLinksTests
{
    private static OrchestratorOptions Options(string directory) => new()
    {
        Persistence = FleetPersistenceOptions.Sqlite(Path.Combine(directory, "fleet.db")),
        Mqtt = new MqttTransportOptions { Embedded = new EmbeddedBrokerOptions { Port = 0 } },
        Server = new FleetServerOptions { Urls = "http://127.0.0.1:0", DataDirectory = directory },
        UpdatePolicy = SimulationPolicy.For(double.PositiveInfinity),
    };

    [Fact]
    public async Task Registered_through_the_hook_a_device_reaches_the_orchestrators_broker_and_server_in_process()
    {
        var directory = Directory.CreateTempSubdirectory("fleet-sim-links-").FullName;
        var options = Options(directory);
        try
        {
            await using var host = new OrchestratorHost(options, NullLoggerFactory.Instance, services =>
            {
                services.AddInProcessHttpLink(options.Server);
                services.AddInProcessMqttLink();
            });
            await host.StartAsync();
            host.Credentials.AddDevice("link-1", "link-1-secret");
            var inbox = new CommandInbox();

            await using var device = new DeviceMqttConnection(
                new DeviceConnectionOptions("unused", 0, "link-1", "link-1-secret")
                {
                    Link = host.Services.GetRequiredService<InProcessMqttConnector>(),
                },
                inbox.OnCommand, inbox.OnMalformed);
            var outcome = await device.ConnectAsync().WaitAsync(Deadline.Default);
            var http = host.Services.GetRequiredService<InProcessHttpConnector>();
            using var client = new HttpClient(http.CreateHandler()) { Timeout = Deadline.Default };
            using var health = await client.GetAsync(new Uri(host.HttpAddress, "/healthz"));

            Assert.True(outcome.IsConnected, $"{outcome.ResultCode} {outcome.Reason}");
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            Assert.True(http.AcceptedConnections >= 1, "the request did not arrive through the in-process endpoint");
            // TCP stays first: download URLs name it.
            Assert.Equal("127.0.0.1", host.HttpAddress.Host);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Without_the_hook_the_orchestrator_has_no_in_process_link_at_all()
    {
        var directory = Directory.CreateTempSubdirectory("fleet-sim-links-").FullName;
        try
        {
            await using var host = new OrchestratorHost(Options(directory), NullLoggerFactory.Instance);
            await host.StartAsync();

            Assert.Null(host.Services.GetService<InProcessMqttConnector>());
            Assert.Null(host.Services.GetService<InProcessHttpConnector>());
            Assert.Empty(host.Services.GetServices<IMqttServerAdapter>());
            Assert.Single(host.Web.Urls);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void The_products_assemblies_ship_none_of_the_simulators_plumbing()
    {
        var product = new[]
        {
            typeof(EmbeddedMqttBroker).Assembly, typeof(FleetServerOptions).Assembly, typeof(OrchestratorHost).Assembly,
        };
        var plumbing = new[]
        {
            typeof(InProcessMqttListener), typeof(InProcessHttpConnector), typeof(SharedKeepAlive),
            typeof(DeviceMqttConnection),
        };

        foreach (var type in plumbing) Assert.DoesNotContain(type.Assembly, product);
        foreach (var assembly in product)
        {
            Assert.DoesNotContain(assembly.GetTypes(), t =>
                t.Namespace?.Contains("InProcess", StringComparison.Ordinal) == true
                || t.Name is "SharedKeepAlive" or "DeviceMqttConnection" or "TcpListenUrl");
        }
    }
}
