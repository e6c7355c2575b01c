using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.Devices.Messages;
using FleetOrchestrator.Orchestration.Hosting;
using FleetOrchestrator.Orchestration.Persistence;
using FleetOrchestrator.Orchestration.ReadModel;
using FleetOrchestrator.Orchestration.ReadModel.Storage;
using FleetOrchestrator.Orchestration.Tests.Support;
using FleetOrchestrator.Protocol.Messages;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace FleetOrchestrator.Orchestration.Tests.ReadModel;

/// <summary>
/// The fleet read model as a projection of a real SQLite journal (EventsByTag through Akka.Persistence.Sql's read
/// journal), in real time with short saga timings: it knows devices that only reported state, filters by version,
/// phase, outcome and presence, agrees with the device actors, and rebuilds the same view from the journal.
/// </summary>
public sealed class FleetViewSpecs : TestKit, IDisposable
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(15);
    private readonly string _folder;
    private readonly TestProbe _device;
    private readonly Dictionary<string, IActorRef> _actors = [];
    private long _seq;

    public FleetViewSpecs(ITestOutputHelper output) : this(Directory.CreateTempSubdirectory("fleet-view-").FullName, output) { }

    private FleetViewSpecs(string folder, ITestOutputHelper output)
        : base(FleetHocon.Setup(FleetHocon.Compose(Persistence(folder), cluster: false), Persistence(folder)), "fleet-view", output)
    {
        _folder = folder;
        _device = CreateTestProbe();
        _store = new FleetReadStore(Persistence(folder));
    }

    private readonly FleetReadStore _store;

    private static FleetPersistenceOptions Persistence(string folder) =>
        FleetPersistenceOptions.Sqlite(Path.Combine(folder, "fleet.db")) with { QueryRefreshInterval = TimeSpan.FromMilliseconds(50) };

    [Fact]
    public void The_view_projects_every_device_filters_them_and_agrees_with_the_device_actors()
    {
        var view = Sys.ActorOf(FleetView.PropsFor(new FleetViewOptions(), _store));
        var fast = Fleet.Policy() with { HealthWindow = TimeSpan.FromMilliseconds(100) };

        // a: heard of only through its retained state and presence
        Actor("a").Tell(new DevicePresenceReceived("a", true));
        Actor("a").Tell(new DeviceStateReceived("a", Fleet.Report()));
        // b: already up to date; c: incompatible; e: left downloading
        RunToCheck("b", fast, Fleet.Report(running: Fleet.New));
        RunToCheck("c", fast, Fleet.Report(hardware: Fleet.Hardware(rom: "4.0")));
        RunToCheck("e", fast, Fleet.Report());
        Expect<StartDownload>("e");
        // d: the whole way to Updated
        RunToCheck("d", fast, Fleet.Report());
        var download = Expect<StartDownload>("d");
        Event("d", new ImageStaged(download.Id, Next(), Fleet.New, 90_000, Fleet.NewCrc));
        Event("d", new CommandAcknowledged(Expect<AuthorizeSwap>("d").Id, Next(), true, null));
        Event("d", new DeviceBooted(null, Next(), Fleet.New, BankId.Bank2, ImageState.Trial, ResetCause.OptionByteLoad, 1));
        Event("d", new HealthReported(null, Next(), true, null));
        Event("d", new ImageCommitted(Expect<CommitImage>("d").Id, Next(), Fleet.New));

        AwaitAssert(() =>
        {
            var all = Query(view, FleetFilter.All);
            Assert.Equal(["a", "b", "c", "d", "e"], all.Devices.Select(r => r.DeviceId));
            Assert.Equal(SagaPhase.Completed, all.Devices.Single(r => r.DeviceId == "d").Phase);
        }, Settle, TimeSpan.FromMilliseconds(50));

        Assert.Equal(["d"], Ids(view, new FleetFilter { Outcome = UpdateOutcome.Updated }));
        Assert.Equal(["b", "d"], Ids(view, new FleetFilter { RunningVersion = Fleet.New }));
        Assert.Equal(["a", "c", "e"], Ids(view, new FleetFilter { RunningVersion = Fleet.Old }));
        Assert.Equal(["e"], Ids(view, new FleetFilter { Phase = SagaPhase.Downloading }));
        Assert.Equal(["a"], Ids(view, new FleetFilter { Online = true }));
        Assert.Equal(["c"], Ids(view, new FleetFilter { Outcome = UpdateOutcome.Incompatible }));
        var paged = Query(view, new FleetFilter { Skip = 1, Take = 2 });
        Assert.Equal(5, paged.Total);
        Assert.Equal(["b", "c"], paged.Devices.Select(r => r.DeviceId));

        var a = Row(view, "a")!;
        Assert.Equal(SagaPhase.None, a.Phase);
        Assert.Equal("stm32l072cz", a.HardwareTarget);
        Assert.Null(Row(view, "never-heard-of"));

        view.Tell(new GetFleetSummary());
        var summary = ExpectMsg<FleetSummary>();
        Assert.Equal(5, summary.Devices);
        Assert.Equal(2, summary.ByRunningVersion[Fleet.New.ToString()]);
        Assert.Equal(1, summary.ByOutcome[UpdateOutcome.UpToDate]);

        // The projection agrees with the actors' own state.
        foreach (var (id, actor) in _actors)
        {
            actor.Tell(new GetDeviceSaga(id));
            var truth = ExpectMsg<DeviceSagaView>(Settle);
            var row = Row(view, id)!;
            Assert.Equal(truth.Saga?.Phase ?? SagaPhase.None, row.Phase);
            Assert.Equal(truth.Saga?.Outcome, row.Outcome);
            Assert.Equal(truth.Saga?.OutcomeReason, row.Phase == SagaPhase.Completed ? row.OutcomeReason : truth.Saga?.OutcomeReason);
            Assert.Equal(truth.Running?.Version, row.RunningVersion);
            Assert.Equal(truth.Saga?.TargetArtifactId, row.TargetArtifactId);
        }
        Assert.NotNull(Row(view, "d")!.TargetArtifactId);

        // A fresh view (its own tables, in another file) rebuilds the same rows from the whole journal.
        var elsewhere = new FleetReadStore(FleetPersistenceOptions.Sqlite(Path.Combine(_folder, "rebuilt.db")));
        var rebuilt = Sys.ActorOf(FleetView.PropsFor(new FleetViewOptions(), elsewhere));
        AwaitAssert(() => Assert.Equal(Query(view, FleetFilter.All).Devices, Query(rebuilt, FleetFilter.All).Devices), Settle, TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public void A_restarted_view_resumes_after_its_stored_offset_instead_of_replaying_the_journal()
    {
        var first = Sys.ActorOf(FleetView.PropsFor(new FleetViewOptions(), _store));
        Actor("a").Tell(new DevicePresenceReceived("a", true));
        Actor("a").Tell(new DeviceStateReceived("a", Fleet.Report()));
        AwaitAssert(() => Assert.Equal(2, _store.PositionAsync().Result.EventsApplied), Settle, TimeSpan.FromMilliseconds(50));
        Watch(first);
        Sys.Stop(first);
        ExpectTerminated(first);
        var stored = _store.PositionAsync().Result;
        Assert.True(stored.Offset > 0);

        // Forget a's row behind the projection's back: a view that replayed the journal from the start would bring it
        // back; one that resumes after the stored offset never reads a's events again.
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(_folder, "fleet.db")}"))
        {
            connection.Open();
            using var delete = connection.CreateCommand();
            delete.CommandText = "DELETE FROM fleet_devices WHERE device_id = 'a'";
            Assert.Equal(1, delete.ExecuteNonQuery());
        }
        RunToCheck("b", Fleet.Policy(), Fleet.Report());
        Expect<StartDownload>("b");
        Actor("b").Tell(new GetDeviceSaga("b"));
        var eventsOfB = ExpectMsg<DeviceSagaView>(Settle).EventCount;

        var second = Sys.ActorOf(FleetView.PropsFor(new FleetViewOptions(), _store));
        AwaitAssert(() =>
        {
            var b = Row(second, "b");
            Assert.Equal(SagaPhase.Downloading, b?.Phase);
            Assert.Equal(stored.EventsApplied + eventsOfB, _store.PositionAsync().Result.EventsApplied);
        }, Settle, TimeSpan.FromMilliseconds(50));
        Assert.Null(Row(second, "a"));
    }

    private IActorRef Actor(string id)
    {
        if (!_actors.TryGetValue(id, out var actor))
            _actors[id] = actor = Sys.ActorOf(DeviceActor.PropsFor(id, new DeviceActorSettings(new ProbeCommandSender(_device.Ref))), id);
        return actor;
    }

    private void RunToCheck(string id, UpdatePolicy policy, DeviceStateReport report)
    {
        Actor(id).Tell(new StartUpdate(id, "u-" + id, Fleet.Target(), policy));
        ExpectMsg<SagaRequestReply>(Settle); // the first recovery creates the SQLite tables
        Event(id, new StateReported(Expect<GetState>(id).Id, Next(), report));
    }

    private void Event(string id, DeviceEvent e) => Actor(id).Tell(new DeviceEventReceived(id, e));

    private T Expect<T>(string id) where T : DeviceCommand
    {
        var sent = _device.ExpectMsg<CommandSent>(Settle);
        Assert.Equal(id, sent.DeviceId);
        return Assert.IsType<T>(sent.Command);
    }

    private long Next() => ++_seq;

    private FleetQueryResult Query(IActorRef view, FleetFilter filter)
    {
        view.Tell(new QueryFleet(filter));
        return ExpectMsg<FleetQueryResult>();
    }

    private string[] Ids(IActorRef view, FleetFilter filter) => Query(view, filter).Devices.Select(r => r.DeviceId).ToArray();

    private FleetDeviceRow? Row(IActorRef view, string id)
    {
        view.Tell(new GetFleetDevice(id));
        return ExpectMsg<FleetDeviceResult>().Device;
    }

    public new void Dispose()
    {
        base.Dispose();
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}
