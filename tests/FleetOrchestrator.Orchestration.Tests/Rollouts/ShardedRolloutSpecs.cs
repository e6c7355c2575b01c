using Akka.Actor;
using Akka.Hosting;
using Akka.TestKit.Xunit2;
using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.Devices.Messages;
using FleetOrchestrator.Orchestration.Hosting;
using FleetOrchestrator.Orchestration.Persistence;
using FleetOrchestrator.Orchestration.ReadModel.Storage;
using FleetOrchestrator.Orchestration.Rollouts;
using FleetOrchestrator.Orchestration.Rollouts.Actors;
using FleetOrchestrator.Orchestration.Rollouts.Messages;
using FleetOrchestrator.Orchestration.Rollouts.Policy;
using FleetOrchestrator.Orchestration.Rollouts.Sharding;
using FleetOrchestrator.Orchestration.Sharding;
using FleetOrchestrator.Orchestration.Tests.Support;
using FleetOrchestrator.Protocol.Ports;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit.Abstractions;
using static FleetOrchestrator.Orchestration.Tests.Support.RolloutFixtures;

namespace FleetOrchestrator.Orchestration.Tests.Rollouts;

/// <summary>
/// The production wiring end to end on one node, in real time on SQLite: sharded rollout and device actors, the
/// devices answered by <see cref="ScriptedFleet"/>, outcomes carried by the real saga feed and the feed router.
/// </summary>
public sealed class ShardedRolloutSpecs(ITestOutputHelper output) : TestKit(output: output), IDisposable
{
    private static readonly TimeSpan Slow = TimeSpan.FromSeconds(30);
    private readonly string _folder = Directory.CreateTempSubdirectory("fleet-rollout-").FullName;
    private readonly ScriptedFleet _fleet = new();

    private static readonly UpdatePolicy Fast = Fleet.Policy() with { HealthWindow = TimeSpan.FromMilliseconds(100) };

    private FleetPersistenceOptions Persistence() =>
        FleetPersistenceOptions.Sqlite(Path.Combine(_folder, "fleet.db")) with
        {
            QueryRefreshInterval = TimeSpan.FromMilliseconds(50),
        };

    private async Task<(IHost Host, IActorRef Rollouts, IActorRef Devices)> StartAsync()
    {
        var persistence = Persistence();
        var host = new HostBuilder()
            .ConfigureServices(services =>
            {
                services.AddSingleton<IDeviceCommandSender>(_fleet);
                services.AddSingleton(new FleetReadStore(persistence));
                services.AddAkka("fleet", (akka, _) => akka
                    .AddFleetCluster()
                    .AddFleetPersistence(persistence)
                    .AddDeviceSagas(new DeviceSagaOptions())
                    .AddRollouts()
                    .AddRolloutFeedRouter(new RolloutFeedRouterOptions { BatchDelay = TimeSpan.FromMilliseconds(20) }));
            })
            .Build();
        await host.StartAsync();
        var registry = host.Services.GetRequiredService<ActorRegistry>();
        var devices = await registry.GetAsync<DeviceRegion>();
        _fleet.Attach(new ShardedDeviceTrafficHandler(devices));
        return (host, await registry.GetAsync<RolloutRegion>(), devices);
    }

    private async Task<RolloutView> AwaitStatus(IActorRef rollouts, RolloutStatus status)
    {
        RolloutView view = null!;
        await AwaitAssertAsync(async () =>
        {
            view = await rollouts.Ask<RolloutView>(new GetRollout(RolloutId), Slow);
            var gates = string.Join("; ", view.Waves.Select(w => $"{w.Name} {w.GateState}"));
            Assert.True(view.Status == status, $"the rollout is {view.Status}, not {status}: {gates}");
        }, Slow, TimeSpan.FromMilliseconds(50));
        return view;
    }

    private static StartRollout StartWith(HaltAction onHalt = HaltAction.Pause) =>
        Start(Policy(waves: 2, gate: Gate(minSample: 2, failures: 0.2, soak: TimeSpan.Zero), onHalt: onHalt),
            Waves(2, 4))
            with { SagaPolicy = Fast };

    [Fact]
    public async Task A_healthy_release_passes_every_wave_and_updates_every_device()
    {
        var (host, rollouts, devices) = await StartAsync();
        using (host)
        {
            var reply = await rollouts.Ask<RolloutCommandReply>(StartWith(), Slow);
            Assert.True(reply.Accepted, reply.Reason);
            var view = await AwaitStatus(rollouts, RolloutStatus.Completed);
            Assert.All(view.Waves, w => Assert.Equal(WavePhase.Passed, w.Phase));
            Assert.Equal(6, view.Waves.Sum(w => w.Outcomes.GetValueOrDefault("Updated")));
            for (var i = 0; i < 6; i++)
                Assert.Equal(Fleet.New, _fleet.RunningOf(Device(i)));
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task A_crash_looping_release_halts_at_the_canary_and_no_other_device_is_commanded()
    {
        _fleet.CrashLooping.UnionWith(Enumerable.Range(0, 6).Select(Device));
        var (host, rollouts, devices) = await StartAsync();
        using (host)
        {
            Assert.True((await rollouts.Ask<RolloutCommandReply>(StartWith(), Slow)).Accepted);
            var view = await AwaitStatus(rollouts, RolloutStatus.Halted);
            Assert.Equal(WavePhase.Halted, view.Waves[0].Phase);
            Assert.Equal(2, view.Waves[0].Outcomes["RolledBack"]);
            Assert.Equal(4, view.Waves[1].Outcomes["NotStarted"]);
            Assert.StartsWith("failure share 2/2", view.HaltReason);
            for (var i = 2; i < 6; i++)
            {
                var saga = await devices.Ask<DeviceSagaView>(new GetDeviceSaga(Device(i)), Slow);
                Assert.Null(saga.Saga);
                Assert.Equal(Fleet.Old, _fleet.RunningOf(Device(i)));
            }
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task An_operator_rollback_returns_every_updated_device_to_its_previous_image()
    {
        var (host, rollouts, devices) = await StartAsync();
        using (host)
        {
            Assert.True((await rollouts.Ask<RolloutCommandReply>(StartWith(), Slow)).Accepted);
            await AwaitStatus(rollouts, RolloutStatus.Completed);
            Assert.True((await rollouts.Ask<RolloutCommandReply>(new RollBackRollout(RolloutId, Ops), Slow)).Accepted);
            await AwaitStatus(rollouts, RolloutStatus.RolledBack);
            for (var i = 0; i < 6; i++)
            {
                Assert.Equal(Fleet.Old, _fleet.RunningOf(Device(i)));
                var saga = await devices.Ask<DeviceSagaView>(new GetDeviceSaga(Device(i)), Slow);
                Assert.Equal(($"r1-rb-{Device(i)}", UpdateOutcome.Updated), (saga.Saga!.UpdateId, saga.Saga.Outcome));
            }
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task The_orchestrator_restarted_mid_wave_resumes_the_rollout_by_itself()
    {
        _fleet.Silent.Add(Device(1)); // the canary's second device does not answer before the restart
        var (host, rollouts, _) = await StartAsync();
        using (host)
        {
            Assert.True((await rollouts.Ask<RolloutCommandReply>(StartWith(), Slow)).Accepted);
            await AwaitAssertAsync(async () =>
            {
                var view = await rollouts.Ask<RolloutView>(new GetRollout(RolloutId), Slow);
                Assert.Equal(1, view.Waves[0].Outcomes.GetValueOrDefault("Updated"));
            }, Slow, TimeSpan.FromMilliseconds(50));
            await host.StopAsync();
        }

        _fleet.Silent.Clear(); // the first orchestrator has stopped: nothing sends meanwhile
        var (again, rolloutsAgain, _) = await StartAsync();
        using (again)
        {
            // No operator command: remember-entities restarts the device's saga, which re-asks the device; the router
            // resumes from its offset and the rollout, recovered from its journal, takes the outcome and goes on.
            var view = await AwaitStatus(rolloutsAgain, RolloutStatus.Completed);
            Assert.Equal(6, view.Waves.Sum(w => w.Outcomes.GetValueOrDefault("Updated")));
            Assert.Equal(["start"], view.Audit.Select(a => a.Action));
            await again.StopAsync();
        }
    }

    [Fact]
    public async Task A_rollout_started_on_the_builder_route_finishes_on_the_plain_hocon_route()
    {
        _fleet.Silent.Add(Device(1));
        var (host, rollouts, _) = await StartAsync();
        using (host)
        {
            Assert.True((await rollouts.Ask<RolloutCommandReply>(StartWith(), Slow)).Accepted);
            await AwaitAssertAsync(async () =>
            {
                var view = await rollouts.Ask<RolloutView>(new GetRollout(RolloutId), Slow);
                Assert.Equal(1, view.Waves[0].Outcomes.GetValueOrDefault("Updated"));
            }, Slow, TimeSpan.FromMilliseconds(50));
            await host.StopAsync();
        }

        _fleet.Silent.Clear(); // the first orchestrator has stopped: nothing sends meanwhile
        var persistence = Persistence();
        var config = FleetHocon.Compose(persistence, cluster: true);
        var system = ActorSystem.Create("fleet", FleetHocon.Setup(config, persistence));
        try
        {
            var cluster = Akka.Cluster.Cluster.Get(system);
            await cluster.JoinAsync(cluster.SelfAddress);
            var devices = await DeviceSharding.StartAsync(system, new DeviceActorSettings(_fleet));
            _fleet.Attach(new ShardedDeviceTrafficHandler(devices));
            var plain = await RolloutSharding.StartAsync(system, new RolloutActorSettings(devices));
            var options = new RolloutFeedRouterOptions { BatchDelay = TimeSpan.FromMilliseconds(20) };
            system.ActorOf(RolloutFeedRouter.PropsFor(options, new FleetReadStore(persistence), plain));

            var view = await AwaitStatus(plain, RolloutStatus.Completed);
            Assert.Equal(6, view.Waves.Sum(w => w.Outcomes.GetValueOrDefault("Updated")));
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
