using Akka.Hosting;
using Akka.TestKit.Xunit2;
using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.Hosting;
using FleetOrchestrator.Orchestration.Sharding;
using FleetOrchestrator.Orchestration.Tests.Support;
using FleetOrchestrator.Protocol.Messages;
using FleetOrchestrator.Protocol.Ports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit.Abstractions;

namespace FleetOrchestrator.Orchestration.Tests.Sharding;

/// <summary>
/// A device's first message is lost when its actor fails to recover: the actor stops and the message it was started
/// for goes with it. This is how the 30,000-device PostgreSQL runs lost devices' announcements while the journal's
/// circuit breaker was open (docs/simulate-benchmarks.md, "The same fleet on PostgreSQL"). The shard restarts the
/// entity (remember-entities), and the restarted actor, having heard nothing, asks the device for its state.
/// </summary>
public sealed class LostFirstMessageSpecs(ITestOutputHelper output) : TestKit(output: output)
{
    private static readonly TimeSpan Slow = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_device_whose_announcement_was_lost_with_a_failed_recovery_is_asked_for_its_state()
    {
        const string deviceId = "dev-lost-announcement";
        FirstReplayFailingJournal.Failing[DeviceActor.PersistenceIdOf(deviceId)] = 1;
        var device = CreateTestProbe();
        using var host = new HostBuilder()
            .ConfigureServices(services =>
            {
                services.AddSingleton<IDeviceCommandSender>(new ProbeCommandSender(device.Ref));
                services.AddAkka("fleet", (akka, _) => akka
                    .AddHocon($$"""
                        akka.persistence.journal.plugin = "akka.persistence.journal.flaky"
                        akka.persistence.journal.flaky.class =
                          "{{typeof(FirstReplayFailingJournal).AssemblyQualifiedName}}"
                        akka.persistence.journal.sharding.class =
                          "Akka.Persistence.Journal.MemoryJournal, Akka.Persistence"
                        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
                        akka.persistence.snapshot-store.sharding.class =
                          "Akka.Persistence.Snapshot.MemorySnapshotStore, Akka.Persistence"
                        akka.cluster.sharding.entity-restart-backoff = 500ms
                        """, HoconAddMode.Prepend)
                    .AddFleetCluster()
                    .AddDeviceSagas(new DeviceSagaOptions { UnheardAfter = TimeSpan.FromSeconds(1) }));
            })
            .Build();
        await host.StartAsync();
        try
        {
            var region = await host.Services.GetRequiredService<ActorRegistry>().GetAsync<DeviceRegion>();
            var traffic = new ShardedDeviceTrafficHandler(region);

            // The device connects and says so; its actor's recovery fails, and the message is lost with it.
            traffic.OnPresence(deviceId, new DevicePresence(true));

            var asked = device.ExpectMsg<CommandSent>(Slow);
            Assert.Equal(deviceId, asked.DeviceId);
            Assert.StartsWith("unheard-", Assert.IsType<GetState>(asked.Command).Id, StringComparison.Ordinal);
            var pid = DeviceActor.PersistenceIdOf(deviceId);
            Assert.False(FirstReplayFailingJournal.Failing.TryGetValue(pid, out var left) && left > 0,
                "the journal never failed the recovery: the test did not lose the message");
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
