using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.Devices.Events;
using FleetOrchestrator.Orchestration.Hosting;
using FleetOrchestrator.Orchestration.Persistence;
using FleetOrchestrator.Orchestration.ReadModel.Storage;
using FleetOrchestrator.Orchestration.Rollouts;
using FleetOrchestrator.Orchestration.Rollouts.Actors;
using FleetOrchestrator.Orchestration.Rollouts.Messages;
using FleetOrchestrator.Orchestration.Tests.Support;
using FleetOrchestrator.Protocol.Messages;
using Xunit.Abstractions;

namespace FleetOrchestrator.Orchestration.Tests.Rollouts;

/// <summary>
/// The router on a real SQLite journal (EventsByTag through the SQL read journal): routes the conclusions of sagas
/// that belong to a rollout, stores its offset only after the rollout acknowledged, and resumes after a restart
/// mid-saga (the saga's earlier events are read back to know its update and rollout).
/// </summary>
public sealed class RolloutFeedRouterSpecs : TestKit, IDisposable
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(15);
    private static readonly DateTimeOffset At = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly string _folder;
    private readonly FleetReadStore _store;
    private readonly TestProbe _rollouts;
    private readonly Dictionary<string, IActorRef> _writers = [];
    private readonly Dictionary<string, long> _sequence = [];

    public RolloutFeedRouterSpecs(ITestOutputHelper output)
        : this(Directory.CreateTempSubdirectory("rollout-router-").FullName, output) { }

    private RolloutFeedRouterSpecs(string folder, ITestOutputHelper output)
        : base(FleetHocon.Setup(FleetHocon.Compose(Persistence(folder), cluster: false), Persistence(folder)),
            "rollout-router", output)
    {
        _folder = folder;
        _store = new FleetReadStore(Persistence(folder));
        _rollouts = CreateTestProbe("rollouts");
    }

    private static FleetPersistenceOptions Persistence(string folder) =>
        FleetPersistenceOptions.Sqlite(Path.Combine(folder, "fleet.db")) with
        {
            QueryRefreshInterval = TimeSpan.FromMilliseconds(50),
        };

    private IActorRef StartRouter() => Sys.ActorOf(RolloutFeedRouter.PropsFor(
        new RolloutFeedRouterOptions
        {
            BatchDelay = TimeSpan.FromMilliseconds(20), AskTimeout = TimeSpan.FromSeconds(1),
        },
        _store, _rollouts));

    private void Write(string deviceId, IDeviceActorEvent e)
    {
        if (!_writers.TryGetValue(deviceId, out var writer))
            _writers[deviceId] = writer = Sys.ActorOf(JournalWriter.PropsFor(deviceId));
        writer.Tell(e, TestActor);
        ExpectMsg("written");
    }

    private long Seq(string deviceId) => _sequence[deviceId] = _sequence.GetValueOrDefault(deviceId) + 1;

    private void Begin(string deviceId, string? rolloutId)
    {
        var update = rolloutId is null ? "one-off" : RolloutIds.UpdateIdFor(rolloutId, deviceId);
        var check = update + "-check";
        Write(deviceId,
            new UpdateRequested(At, update, rolloutId, Fleet.Target(), Fleet.Policy(), check, At.AddHours(1)));
        Write(deviceId, new PreflightPassed(At, Seq(deviceId), Fleet.Old, BankId.Bank1, Fleet.Report()));
    }

    private long Position() =>
        _store.PositionOfAsync(RolloutFeedRouterOptions.ProjectionId).GetAwaiter().GetResult().Offset;

    [Fact]
    public void Conclusions_of_rollout_sagas_are_routed_and_the_offset_is_stored_only_after_the_acknowledgement()
    {
        Begin("a", "r1");
        Begin("b", null);
        Write("b", new UpdateSucceeded(At, Seq("b"), Fleet.New)); // a one-off update: no rollout to tell
        StartRouter();
        AwaitCondition(() => Position() > 0, Settle);
        var before = Position();

        Write("a", new UpdateSucceeded(At.AddMinutes(1), Seq("a"), Fleet.New));
        var concluded = _rollouts.ExpectMsg<SagaConcluded>(Settle);
        Assert.Equal(("r1", "a", "r1-a", UpdateOutcome.Updated),
            (concluded.RolloutId, concluded.DeviceId, concluded.UpdateId, concluded.Outcome));
        // Not acknowledged yet: the offset stays where it was; then the Ask times out and the conclusion comes again.
        Assert.Equal(before, Position());
        var again = _rollouts.ExpectMsg<SagaConcluded>(Settle);
        Assert.Equal(concluded, again);
        _rollouts.Reply(new RolloutCommandReply("r1", true, null, RolloutStatus.Running));
        AwaitCondition(() => Position() > before, Settle);
        _rollouts.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public void A_revert_after_the_commit_reaches_the_rollout_as_a_revert_of_its_update()
    {
        Begin("a", "r1");
        Write("a", new UpdateSucceeded(At, Seq("a"), Fleet.New));
        StartRouter();
        _rollouts.ExpectMsg<SagaConcluded>(Settle);
        _rollouts.Reply(new RolloutCommandReply("r1", true, null, RolloutStatus.Running));

        Write("a", new RevertAfterCommitObserved(At.AddHours(2), Seq("a"), "r1-a", "r1", Fleet.New, Fleet.Old,
            "reported 1.0.0 after the commit"));

        var reverted = _rollouts.ExpectMsg<DeviceReverted>(Settle);
        Assert.Equal(("r1", "a", "r1-a"), (reverted.RolloutId, reverted.DeviceId, reverted.UpdateId));
        _rollouts.Reply(new RolloutCommandReply("r1", true, null, RolloutStatus.Running));
        _rollouts.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public void A_router_restarted_mid_saga_still_knows_the_sagas_rollout()
    {
        Begin("c", "r2");
        var router = StartRouter();
        AwaitCondition(() => Position() > 0, Settle);
        Watch(router);
        Sys.Stop(router);
        ExpectTerminated(router);

        // Only the concluding event lies after the stored offset; it does not name the rollout.
        Write("c", new DeviceLost(At.AddMinutes(5), "no answer"));
        StartRouter();
        var concluded = _rollouts.ExpectMsg<SagaConcluded>(Settle);
        Assert.Equal(("r2", "c", "r2-c", UpdateOutcome.Lost),
            (concluded.RolloutId, concluded.DeviceId, concluded.UpdateId, concluded.Outcome));
        _rollouts.Reply(new RolloutCommandReply("r2", true, null, RolloutStatus.Running));
    }

    public new void Dispose()
    {
        base.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); }
        catch (IOException) { }
    }
}
