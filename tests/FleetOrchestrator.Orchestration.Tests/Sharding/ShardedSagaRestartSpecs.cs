using Akka.Actor;
using Akka.Cluster;
using Akka.Hosting;
using Akka.TestKit.Xunit2;
using FleetOrchestrator.Orchestration.ReadModel.Storage;
using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.Devices.Messages;
using FleetOrchestrator.Orchestration.Hosting;
using FleetOrchestrator.Orchestration.Persistence;
using FleetOrchestrator.Orchestration.ReadModel;
using FleetOrchestrator.Orchestration.Sharding;
using FleetOrchestrator.Orchestration.Tests.Support;
using FleetOrchestrator.Protocol.Messages;
using FleetOrchestrator.Protocol.Ports;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit.Abstractions;

namespace FleetOrchestrator.Orchestration.Tests.Sharding;

/// <summary>
/// The production wiring end to end on one node: the orchestrator built with the Akka.Hosting extensions runs a saga
/// under Cluster.Sharding and stops; a second orchestrator on the same SQLite file, built from the plain HOCON files,
/// restarts the in-flight saga ON ITS OWN (remember-entities, eventsourced store on the "sharding" journal) and the
/// saga re-sends the command it was waiting on. Nothing is sent to the device actor in the second run.
/// </summary>
public sealed class ShardedSagaRestartSpecs(ITestOutputHelper output) : TestKit(output: output), IDisposable
{
    private static readonly TimeSpan Slow = TimeSpan.FromSeconds(30);
    private readonly string _folder = Directory.CreateTempSubdirectory("fleet-sharding-").FullName;

    [Fact]
    public async Task An_in_flight_saga_restarts_by_itself_after_the_orchestrator_restarts()
    {
        var device = CreateTestProbe();
        var persistence = FleetPersistenceOptions.Sqlite(Path.Combine(_folder, "fleet.db"));

        // 1) Akka.Hosting route.
        using (var host = new HostBuilder()
                   .ConfigureServices(services =>
                   {
                       services.AddSingleton<IDeviceCommandSender>(new ProbeCommandSender(device.Ref));
                       services.AddSingleton(new FleetReadStore(persistence));
                       services.AddAkka("fleet", (akka, _) => akka
                           .AddFleetCluster()
                           .AddFleetPersistence(persistence)
                           .AddDeviceSagas(new DeviceSagaOptions())
                           .AddFleetReadModel());
                   })
                   .Build())
        {
            await host.StartAsync();
            var registry = host.Services.GetRequiredService<ActorRegistry>();
            var region = await registry.GetAsync<DeviceRegion>();
            var traffic = new ShardedDeviceTrafficHandler(region);

            var reply = await region.Ask<SagaRequestReply>(new StartUpdate("dev-s", "u1", Fleet.Target(), Fleet.Policy()), Slow);
            Assert.True(reply.Accepted);
            var check = Assert.IsType<GetState>(device.ExpectMsg<CommandSent>(Slow).Command);
            traffic.OnPresence("dev-s", new DevicePresence(true));
            // The device came online after the question went out: it is asked again, same id (ReconnectResendSpecs).
            Assert.Equal(check.Id, Assert.IsType<GetState>(device.ExpectMsg<CommandSent>(Slow).Command).Id);
            traffic.OnEvent("dev-s", new StateReported(check.Id, 1, Fleet.Report()));
            var download = Assert.IsType<StartDownload>(device.ExpectMsg<CommandSent>(Slow).Command);
            Assert.Equal("u1-dl1", download.Id);

            var view = await registry.GetAsync<FleetView>();
            await AwaitAssertAsync(async () =>
            {
                var row = (await view.Ask<FleetDeviceResult>(new GetFleetDevice("dev-s"), Slow)).Device;
                Assert.Equal(SagaPhase.Downloading, row?.Phase);
                Assert.True(row?.Online);
            }, Slow, TimeSpan.FromMilliseconds(100));

            await host.StopAsync();
        }

        // 2) Plain HOCON route, same database: the remembered entity comes back without any message.
        var config = FleetHocon.Compose(persistence, cluster: true);
        var system = ActorSystem.Create("fleet", FleetHocon.Setup(config, persistence));
        try
        {
            var cluster = Cluster.Get(system);
            await cluster.JoinAsync(cluster.SelfAddress);
            var region = await DeviceSharding.StartAsync(system, new DeviceActorSettings(new ProbeCommandSender(device.Ref)));

            var resent = device.ExpectMsg<CommandSent>(Slow);
            Assert.Equal("dev-s", resent.DeviceId);
            Assert.Equal("u1-dl1", Assert.IsType<StartDownload>(resent.Command).Id);

            var saga = await region.Ask<DeviceSagaView>(new GetDeviceSaga("dev-s"), Slow);
            Assert.Equal(SagaPhase.Downloading, saga.Saga!.Phase);
        }
        finally
        {
            await system.Terminate();
        }
    }

    public new void Dispose()
    {
        base.Dispose();
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}
