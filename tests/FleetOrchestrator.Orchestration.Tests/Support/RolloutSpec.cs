using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.Devices.Messages;
using FleetOrchestrator.Orchestration.Rollouts.Actors;
using FleetOrchestrator.Orchestration.Rollouts.Planning;
using FleetOrchestrator.Orchestration.Rollouts.Messages;
using Xunit.Abstractions;

namespace FleetOrchestrator.Orchestration.Tests.Support;

/// <summary>
/// A rollout actor on the in-memory journal in virtual time, with a probe standing in for the device region. Helpers
/// wait for the actor to finish persisting (a GetRollout round trip: commands are stashed while it persists) before
/// the test advances time.
/// </summary>
public abstract class RolloutSpec : TestKit
{
    private int _incarnation;

    protected RolloutSpec(ITestOutputHelper output) : base(SagaSpec.SpecConfig, output: output)
    {
        Devices = CreateTestProbe("device-region");
    }

    protected static readonly TimeSpan Resend = TimeSpan.FromSeconds(30);

    protected TestProbe Devices { get; }
    protected IActorRef Rollout { get; private set; } = ActorRefs.Nobody;
    protected TestScheduler Clock => (TestScheduler)Sys.Scheduler;

    /// <summary>The fleet the joiner check reads (set before <see cref="StartActor"/>); null: no joiner check.
    /// </summary>
    protected Func<IReadOnlyList<PlanCandidate>>? Candidates { get; set; }

    protected static readonly TimeSpan JoinCheck = TimeSpan.FromMinutes(1);

    protected IActorRef StartActor()
    {
        var settings = new RolloutActorSettings(Devices, 5, Resend, Candidates is { } fleet
            ? _ => Task.FromResult<IReadOnlyList<PlanCandidate>>(fleet())
            : null, JoinCheck);
        Rollout = Sys.ActorOf(RolloutActor.PropsFor(RolloutFixtures.RolloutId, settings),
            $"rollout-{++_incarnation}");
        return Rollout;
    }

    protected void StopActor()
    {
        Watch(Rollout);
        Sys.Stop(Rollout);
        ExpectTerminated(Rollout);
        Unwatch(Rollout);
    }

    protected RolloutView View()
    {
        Rollout.Tell(new GetRollout(RolloutFixtures.RolloutId), TestActor);
        return ExpectMsg<RolloutView>();
    }

    protected RolloutCommandReply Ask(object command)
    {
        Rollout.Tell(command, TestActor);
        var reply = ExpectMsg<RolloutCommandReply>();
        View();
        return reply;
    }

    protected void Advance(TimeSpan by)
    {
        Clock.Advance(by);
        View();
    }

    /// <summary>The next <paramref name="count"/> StartUpdates to the device region, each answered.</summary>
    protected List<StartUpdate> ExpectStarts(int count, bool answer = true)
    {
        var starts = new List<StartUpdate>();
        for (var i = 0; i < count; i++)
        {
            var start = Devices.ExpectMsg<StartUpdate>();
            starts.Add(start);
            if (answer)
                Devices.Reply(
                    new SagaRequestReply(start.DeviceId, start.UpdateId, true, null, SagaPhase.CheckingVersion));
        }
        View();
        return starts;
    }

    protected void ExpectNothingCommanded() => Devices.ExpectNoMsg(TimeSpan.FromMilliseconds(150));

    protected void Conclude(string deviceId, UpdateOutcome outcome, string? updateId = null)
    {
        var id = updateId ?? $"r1-{deviceId}";
        Assert.True(Ask(new SagaConcluded(RolloutFixtures.RolloutId, deviceId, id, outcome, null, Clock.Now)).Accepted);
    }
}
