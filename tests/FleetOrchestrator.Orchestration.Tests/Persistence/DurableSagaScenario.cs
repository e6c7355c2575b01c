using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit;
using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.Devices.Messages;
using FleetOrchestrator.Orchestration.Hosting;
using FleetOrchestrator.Orchestration.Persistence;
using FleetOrchestrator.Orchestration.Tests.Support;
using FleetOrchestrator.Protocol.Messages;

namespace FleetOrchestrator.Orchestration.Tests.Persistence;

/// <summary>
/// The same saga scenario on a real database: drive a device to the middle of its health window in one actor system,
/// shut that system down, start a second one on the same database, and check that the saga recovers (through the fleet
/// serializer and the snapshot) and its persisted deadline still fires in the new system's (virtual) time.
/// </summary>
public static class DurableSagaScenario
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(20);

    public static Config ConfigFor(FleetPersistenceOptions persistence) =>
        ConfigurationFactory.ParseString("""akka.scheduler.implementation = "Akka.TestKit.TestScheduler, Akka.TestKit" """)
            .WithFallback(FleetHocon.Compose(persistence, cluster: false));

    public static async Task RunAsync(FleetPersistenceOptions persistence, TestProbe device)
    {
        var policy = Fleet.Policy();
        var deviceId = "durable-" + Guid.NewGuid().ToString("N")[..8];
        var settings = new DeviceActorSettings(new ProbeCommandSender(device.Ref), SnapshotEvery: 4);
        long seq = 0;

        DeviceSagaView before;
        AuthorizeSwap swap;
        var first = ActorSystem.Create("fleet-a", FleetHocon.Setup(ConfigFor(persistence), persistence));
        try
        {
            var saga = first.ActorOf(DeviceActor.PropsFor(deviceId, settings));
            Assert.True((await saga.Ask<SagaRequestReply>(new StartUpdate(deviceId, "u1", Fleet.Target(), policy), AskTimeout)).Accepted);
            var check = Expect<GetState>(device, deviceId);
            saga.Tell(new DeviceEventReceived(deviceId, new StateReported(check.Id, ++seq, Fleet.Report())));
            var download = Expect<StartDownload>(device, deviceId);
            saga.Tell(new DeviceEventReceived(deviceId, new CommandAcknowledged(download.Id, ++seq, true, null)));
            saga.Tell(new DeviceEventReceived(deviceId, new ImageStaged(download.Id, ++seq, Fleet.New, 90_000, Fleet.NewCrc)));
            swap = Expect<AuthorizeSwap>(device, deviceId);
            saga.Tell(new DeviceEventReceived(deviceId, new CommandAcknowledged(swap.Id, ++seq, true, null)));
            saga.Tell(new DeviceEventReceived(deviceId, new DeviceBooted(null, ++seq, Fleet.New, BankId.Bank2, ImageState.Trial, ResetCause.OptionByteLoad, 1)));
            saga.Tell(new DeviceEventReceived(deviceId, new HealthReported(null, ++seq, true, null)));
            before = await saga.Ask<DeviceSagaView>(new GetDeviceSaga(deviceId), AskTimeout);
            Assert.Equal(SagaPhase.HealthWindow, before.Saga!.Phase);
        }
        finally
        {
            await first.Terminate();
        }

        var second = ActorSystem.Create("fleet-b", FleetHocon.Setup(ConfigFor(persistence), persistence));
        try
        {
            var saga = second.ActorOf(DeviceActor.PropsFor(deviceId, settings));
            var after = await saga.Ask<DeviceSagaView>(new GetDeviceSaga(deviceId), AskTimeout);
            Assert.Equal(SagaPhase.HealthWindow, after.Saga!.Phase);
            Assert.Equal(before.Saga.Deadline, after.Saga.Deadline);
            Assert.Equal(before.Saga.History, after.Saga.History);
            Assert.Equal(before.Running, after.Running);
            Assert.Equal(before.EventCount, after.EventCount);

            // A stale duplicate from before the restart is still recognised as stale.
            // (Were it taken for news, this old-version boot would be a silent revert and the outcome RolledBack.)
            saga.Tell(new DeviceEventReceived(deviceId, new DeviceBooted(null, seq, Fleet.Old, BankId.Bank1, ImageState.Committed, ResetCause.PowerOn, 0)));
            ((TestScheduler)second.Scheduler).Advance(after.Saga.Deadline!.Value - second.Scheduler.Now);
            var commit = Expect<CommitImage>(device, deviceId);
            saga.Tell(new DeviceEventReceived(deviceId, new ImageCommitted(commit.Id, ++seq, Fleet.New)));
            var done = await saga.Ask<DeviceSagaView>(new GetDeviceSaga(deviceId), AskTimeout);
            Assert.Equal(UpdateOutcome.Updated, done.Saga!.Outcome);
            Assert.Equal(before.EventCount + 2, done.EventCount);
        }
        finally
        {
            await second.Terminate();
        }
    }

    private static T Expect<T>(TestProbe device, string deviceId) where T : DeviceCommand
    {
        var sent = device.ExpectMsg<CommandSent>(TimeSpan.FromSeconds(20));
        Assert.Equal(deviceId, sent.DeviceId);
        return Assert.IsType<T>(sent.Command);
    }
}
