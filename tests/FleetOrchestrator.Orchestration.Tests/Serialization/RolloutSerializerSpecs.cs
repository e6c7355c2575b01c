using System.Text.Json;
using Akka.TestKit.Xunit2;
using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.Rollouts;
using FleetOrchestrator.Orchestration.Rollouts.Events;
using FleetOrchestrator.Orchestration.Rollouts.Messages;
using FleetOrchestrator.Orchestration.Rollouts.Policy;
using FleetOrchestrator.Orchestration.Rollouts.Views;
using FleetOrchestrator.Orchestration.Serialization;
using FleetOrchestrator.Orchestration.Tests.Support;
using Xunit.Abstractions;
using static FleetOrchestrator.Orchestration.Tests.Support.RolloutFixtures;

namespace FleetOrchestrator.Orchestration.Tests.Serialization;

/// <summary>Every rollout event, the rollout snapshot and every rollout message round-trip under a short
/// manifest.</summary>
public sealed class RolloutSerializerSpecs(ITestOutputHelper output) : TestKit(SagaSpec.SpecConfig, output: output)
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A policy with every optional part (window, per-wave gate, manual approval, custom failures).</summary>
    private static RolloutPolicy FullPolicy() => Policy(onHalt: HaltAction.RollbackAll, devicesPerMinute: 60,
            window: new MaintenanceWindow(new TimeOnly(22, 0), new TimeOnly(4, 30))) with
    {
        Target = new RolloutTarget(["1.0.0"],
            new Dictionary<string, IReadOnlyList<string>> { ["region"] = ["eu", "uk"] },
            ["d00"], ["stm32l072cz"], ["4.1"]),
        Waves =
        [
            new WaveSpec("canary", 4, null,
                Gate(approval: ApprovalMode.Manual) with { CountAsFailure = [UpdateOutcome.Failed] }),
            new WaveSpec("rest", null, 100, null),
        ],
    };

    public static IEnumerable<object> Samples()
    {
        var by = new OperatorAction("alice", "change 42");
        var run = new RolloutRun().Started(
            new StartRollout(RolloutId, FullPolicy(), Fleet.Target(), Waves(4, 4), 7, by, Previous(), Fleet.Policy()));
        run.Conclude("d00", UpdateOutcome.Updated);
        run.Command(new DevicesJoined(RolloutId, ["j1"]));
        var view = RolloutViews.Of(run.State, run.Now);
        return
        [
            new RolloutStarted(At, RolloutId, FullPolicy(), Fleet.Target(), Previous(), Fleet.Policy(), 7, Waves(2, 2),
                by, new Dictionary<string, string> { ["d00"] = "Europe/Berlin" }),
            new RolloutPaused(At, by),
            new RolloutResumed(At, by),
            new RolloutActivated(At, by),
            new RolloutCancelled(At, by),
            new RollbackStarted(At, by, "operator: x", [0, 1]),
            new WaveStarted(At, 1),
            new WaveSoakStarted(At, 1, At.AddMinutes(30)),
            new WaveAwaitingApproval(At, 1),
            new WavePassed(At, 1, by),
            new RolloutHalted(At, 0, "failure share 2/3"),
            new RolloutCompleted(At),
            new RolloutRolledBack(At),
            new DevicesCommanded(At, ["d00", "d01"], At.AddSeconds(1)),
            new DevicesActivated(At, ["d00"], null),
            new DeviceConcluded(At, "d00", "r1-d00", UpdateOutcome.RolledBack, "health"),
            new DeviceSkipped(At, "d01", "busy"),
            new DeviceRevertObserved(At, "d00", "r1-d00"),
            new DevicesJoinedWave(At, 1, ["j1"]),
            new DevicesJoinedWave(At, 1, ["j2"], new Dictionary<string, string> { ["j2"] = "America/Chicago" }),
            new DeviceRollbacksCommanded(At, ["d00"]),
            run.State,
            new StartRollout(RolloutId, FullPolicy(), Fleet.Target(), Waves(2, 2), 7, by, Previous(), Fleet.Policy()),
            new PauseRollout(RolloutId, by),
            new ResumeRollout(RolloutId, by),
            new ApproveWave(RolloutId, by, 1),
            new CancelRollout(RolloutId, by),
            new RollBackRollout(RolloutId, by),
            new ActivateRollout(RolloutId, by),
            new DevicesJoined(RolloutId, ["j1", "j2"]),
            new RolloutCommandReply(RolloutId, false, "cannot pause", RolloutStatus.Halted),
            new SagaConcluded(RolloutId, "d00", "r1-d00", UpdateOutcome.Lost, "no answer", At),
            new DeviceReverted(RolloutId, "d00", "r1-d00", At),
            new GetRollout(RolloutId),
            new WhyDevice(RolloutId, "d00"),
            view,
            view.Waves[0],
            RolloutViews.Explain(run.State, "d05", run.Now),
            new GetRolloutDevices(RolloutId, 1, 2, 10),
            RolloutViews.Devices(run.State, new GetRolloutDevices(RolloutId)),
        ];
    }

    public static TheoryData<object> SampleData() => new(Samples());

    [Fact]
    public void Every_rollout_event_message_and_the_snapshot_have_a_manifest_and_a_sample()
    {
        var bound = typeof(FleetSerializer).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && !t.IsInterface
                && (typeof(IRolloutEvent).IsAssignableFrom(t) || typeof(IRolloutMessage).IsAssignableFrom(t)))
            .Append(typeof(RolloutState)).ToHashSet();
        Assert.True(bound.Count > 30);
        Assert.Empty(bound.Except(FleetManifests.ByType.Keys));
        Assert.Empty(bound.Except(Samples().Select(s => s.GetType())));
    }

    [Theory]
    [MemberData(nameof(SampleData))]
    public void Round_trips_through_the_bound_serializer(object sample)
    {
        var serializer = Sys.Serialization.FindSerializerFor(sample);
        var fleet = Assert.IsType<FleetSerializer>(serializer);
        var manifest = fleet.Manifest(sample);
        var bytes = serializer.ToBinary(sample);
        var back = Sys.Serialization.Deserialize(bytes, FleetSerializer.Id, manifest);
        Assert.IsType(sample.GetType(), back);
        // Records holding lists compare them by reference: compare the canonical JSON.
        Assert.Equal(Json(sample), Json(back));
        Assert.DoesNotContain("FleetOrchestrator", System.Text.Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void A_snapshot_decides_as_the_state_it_was_taken_from()
    {
        var state = (RolloutState)Samples().Single(s => s is RolloutState);
        var serializer = new FleetSerializer((Akka.Actor.ExtendedActorSystem)Sys);
        var back = (RolloutState)serializer.FromBinary(serializer.ToBinary(state), "ro-s");
        var input = Orchestration.Rollouts.Decisions.RolloutTick.Instance; // the next rate-limit slot has come
        var expected = Orchestration.Rollouts.Decisions.RolloutDecider.Decide(state, input, At);
        var actual = Orchestration.Rollouts.Decisions.RolloutDecider.Decide(back, input, At);
        Assert.NotEmpty(expected.Events);
        Assert.Equal(expected.Events.Select(Json), actual.Events.Select(Json));
        Assert.Equal(state.Waves[0].Gate.CountAsFailure, back.Waves[0].Gate.CountAsFailure);
        Assert.Equal(new TimeOnly(22, 0), back.Policy!.Window!.LocalStart);
    }

    private static string Json(object o) => JsonSerializer.Serialize(o, o.GetType(), FleetSerializer.JsonOptions);
}
