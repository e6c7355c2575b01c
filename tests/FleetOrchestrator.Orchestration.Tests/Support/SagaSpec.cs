using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.Devices.Messages;
using FleetOrchestrator.Orchestration.Hosting;
using FleetOrchestrator.Protocol.Messages;
using FleetOrchestrator.Protocol.Ports;
using Xunit.Abstractions;

namespace FleetOrchestrator.Orchestration.Tests.Support;

/// <summary>
/// A device actor on the in-memory journal, in virtual time (TestScheduler), talking to <see cref="Device"/> (a probe
/// standing in for the transport). Every helper waits for the actor to finish persisting (a GetDeviceSaga round trip:
/// the actor stashes commands while it persists) before the test advances time.
/// </summary>
public abstract class SagaSpec : TestKit
{
    public static readonly Config SpecConfig = ConfigurationFactory.ParseString("""
        akka.scheduler.implementation = "Akka.TestKit.TestScheduler, Akka.TestKit"
        akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        akka.loglevel = INFO
        """).WithFallback(FleetHocon.Base);

    private long _sequence;
    private int _incarnation;

    protected SagaSpec(ITestOutputHelper output, Config? config = null) : base(config ?? SpecConfig, output: output)
    {
        Device = CreateTestProbe("device");
        Outcomes = CreateTestProbe("outcomes");
        Sys.EventStream.Subscribe(Outcomes, typeof(SagaOutcome));
        Sys.EventStream.Subscribe(Outcomes, typeof(SagaNeedsAttention));
    }

    protected const string DeviceId = "dev-1";
    protected const string UpdateId = "upd-7";

    protected TestProbe Device { get; }
    protected TestProbe Outcomes { get; }
    protected IActorRef Saga { get; private set; } = ActorRefs.Nobody;
    protected TestScheduler Clock => (TestScheduler)Sys.Scheduler;
    protected UpdatePolicy Policy { get; set; } = Fleet.Policy();

    /// <summary>Mints download URLs when set (before <see cref="StartActor"/>); null: the requested URL.</summary>
    protected IDownloadUrlGranter? UrlGranter { get; set; }

    protected IActorRef StartActor(int snapshotEvery = 5)
    {
        var settings = new DeviceActorSettings(new ProbeCommandSender(Device), snapshotEvery, UrlGranter: UrlGranter);
        Saga = Sys.ActorOf(DeviceActor.PropsFor(DeviceId, settings),
            $"device-{DeviceId}-{++_incarnation}");
        return Saga;
    }

    /// <summary>Uses an actor the test created itself (e.g. as a child of the test actor).</summary>
    protected void SetSaga(IActorRef actor) => Saga = actor;

    /// <summary>Stops the actor and waits until it is gone (the journal keeps its events).</summary>
    protected void StopActor()
    {
        Watch(Saga);
        Sys.Stop(Saga);
        ExpectTerminated(Saga);
        Unwatch(Saga);
    }

    protected DeviceSagaView View()
    {
        Saga.Tell(new GetDeviceSaga(DeviceId), TestActor);
        return ExpectMsg<DeviceSagaView>();
    }

    protected SagaPhase Phase() => View().Saga?.Phase ?? SagaPhase.None;

    protected void Advance(TimeSpan by)
    {
        Clock.Advance(by);
        View();
    }

    protected SagaRequestReply StartUpdate(string updateId = UpdateId, UpdatePolicy? policy = null, UpdateTarget? target = null)
    {
        Saga.Tell(new StartUpdate(DeviceId, updateId, target ?? Fleet.Target(), policy ?? Policy), TestActor);
        return ExpectMsg<SagaRequestReply>();
    }

    protected T ExpectCommand<T>() where T : DeviceCommand
    {
        var sent = Device.ExpectMsg<CommandSent>();
        Assert.Equal(DeviceId, sent.DeviceId);
        return Assert.IsType<T>(sent.Command);
    }

    protected void ExpectNoCommand() => Device.ExpectNoMsg(TimeSpan.FromMilliseconds(150));

    /// <summary>
    /// Takes the re-sends of <paramref name="commandId"/> a saga made while the clock moved (its periodic re-send
    /// schedule), and fails on any other command.
    /// </summary>
    protected void ExpectOnlyResendsOf(string commandId)
    {
        while (Device.ReceiveOne(TimeSpan.FromMilliseconds(150)) is { } message)
            Assert.Equal(commandId, Assert.IsType<CommandSent>(message).Command.Id);
    }

    /// <summary>The command <paramref name="commandId"/>, after any re-sends of earlier commands of its type.</summary>
    protected T ExpectCommandAfterResends<T>(string commandId) where T : DeviceCommand
    {
        while (true)
        {
            var command = ExpectCommand<T>();
            if (command.Id == commandId) return command;
        }
    }

    protected long NextSequence() => ++_sequence;

    /// <summary>Sends a device event and waits until the actor has persisted whatever it decided.</summary>
    protected void FromDevice(DeviceEvent e)
    {
        Saga.Tell(new DeviceEventReceived(DeviceId, e));
        View();
    }

    protected void Reports(DeviceStateReport report, string? commandId = null) => FromDevice(new StateReported(commandId, NextSequence(), report));

    protected void Acks(string commandId, bool accepted = true, string? reason = null) =>
        FromDevice(new CommandAcknowledged(commandId, NextSequence(), accepted, reason));

    protected void Boots(SemanticVersion version, BankId bank, ImageState image = ImageState.Trial, ResetCause cause = ResetCause.OptionByteLoad, int trialBoots = 1) =>
        FromDevice(new DeviceBooted(null, NextSequence(), version, bank, image, cause, trialBoots));

    // ------------------------------------------------------------ drive the saga to a phase

    protected GetState Begin()
    {
        StartActor();
        Assert.True(StartUpdate().Accepted);
        return ExpectCommand<GetState>();
    }

    protected StartDownload ToDownloading()
    {
        var check = Begin();
        Reports(Fleet.Report(), check.Id);
        return ExpectCommand<StartDownload>();
    }

    protected AuthorizeSwap ToAwaitingSwapAck()
    {
        var download = ToDownloading();
        Acks(download.Id);
        FromDevice(new ImageStaged(download.Id, NextSequence(), Fleet.New, 90_000, Fleet.NewCrc));
        return ExpectCommand<AuthorizeSwap>();
    }

    protected AuthorizeSwap ToAwaitingBoot()
    {
        var swap = ToAwaitingSwapAck();
        Acks(swap.Id);
        Assert.Equal(SagaPhase.AwaitingBoot, Phase());
        return swap;
    }

    /// <summary>The new image booted on trial; with <paramref name="passesSelfTest"/> it also reported a passing
    /// self-test (without a passing verdict the saga never commits).</summary>
    protected void ToHealthWindow(bool passesSelfTest = true)
    {
        ToAwaitingBoot();
        Boots(Fleet.New, BankId.Bank2);
        Assert.Equal(SagaPhase.HealthWindow, Phase());
        if (passesSelfTest)
            HealthPasses();
    }

    protected void HealthPasses() => FromDevice(new HealthReported(null, NextSequence(), true, "self-test passed"));

    protected CommitImage ToCommitting()
    {
        ToHealthWindow();
        Advance(Policy.HealthWindow);
        return ExpectCommand<CommitImage>();
    }

    protected SagaOutcome ExpectOutcome(UpdateOutcome outcome)
    {
        var o = Outcomes.ExpectMsg<SagaOutcome>();
        Assert.Equal(outcome, o.Outcome);
        Assert.Equal(DeviceId, o.DeviceId);
        Assert.Equal(UpdateId, o.UpdateId);
        var view = View();
        Assert.Equal(SagaPhase.Completed, view.Saga!.Phase);
        Assert.Equal(outcome, view.Saga.Outcome);
        return o;
    }
}
