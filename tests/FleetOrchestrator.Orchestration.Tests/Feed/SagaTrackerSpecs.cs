using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.Devices.Events;
using FleetOrchestrator.Orchestration.Feed;
using FleetOrchestrator.Orchestration.Tests.Support;
using FleetOrchestrator.Protocol.Messages;

namespace FleetOrchestrator.Orchestration.Tests.Feed;

/// <summary>
/// The saga feed's consumer-side tracker (pure): it names the update and rollout of an outcome whose events do not
/// carry them, concludes each saga once however often the feed repeats an event, and keeps devices apart.
/// </summary>
public sealed class SagaTrackerSpecs
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 0, 0, 0, TimeSpan.Zero);
    private long _offset;

    [Fact]
    public void A_concluding_event_yields_the_outcome_of_the_update_that_started_the_saga()
    {
        var tracker = new SagaTracker();
        Assert.Null(tracker.Apply(Feed("a", 1, new DevicePresenceObserved(T0, true))));
        Assert.Null(tracker.Apply(Feed("a", 2, Requested("u-1", "r-1"))));
        var outcome = tracker.Apply(Feed("a", 3, new DeviceLost(T0.AddMinutes(5), "no answer")));

        Assert.NotNull(outcome);
        Assert.Equal(("a", "u-1", "r-1", UpdateOutcome.Lost, "no answer"),
            (outcome.DeviceId, outcome.UpdateId, outcome.RolloutId, outcome.Outcome, outcome.Reason));
    }

    [Fact]
    public void A_repeated_event_concludes_nothing_twice_and_later_sagas_conclude_with_their_own_update()
    {
        var tracker = new SagaTracker();
        var lost = Feed("a", 2, new DeviceLost(T0, "gone"));
        tracker.Apply(Feed("a", 1, Requested("u-1", null)));
        Assert.NotNull(tracker.Apply(lost));
        // A consumer that resumes before its stored offset sees the same events again.
        Assert.Null(tracker.Apply(lost));
        Assert.Null(tracker.Apply(Feed("a", 1, Requested("u-1", null))));

        tracker.Apply(Feed("a", 3, Requested("u-2", null)));
        var second = tracker.Apply(Feed("a", 4, new UpdateCancelled(T0, "operator", null)));
        Assert.Equal(("u-2", UpdateOutcome.Cancelled), (second!.UpdateId, second.Outcome));
    }

    [Fact]
    public void Observations_after_a_concluded_saga_conclude_nothing_and_devices_stay_apart()
    {
        var tracker = new SagaTracker();
        tracker.Apply(Feed("a", 1, Requested("u-a", null)));
        tracker.Apply(Feed("b", 1, Requested("u-b", null)));
        Assert.Equal("u-b", tracker.Apply(Feed("b", 2, new DeviceLost(T0, "x")))!.UpdateId);
        Assert.Null(tracker.Apply(Feed("b", 3, new DeviceStateObserved(T0, 9, Fleet.Report()))));
        Assert.Null(tracker.Apply(Feed("b", 4, new DevicePresenceObserved(T0, false))));
        Assert.Equal(SagaPhase.CheckingVersion, tracker.RowOf("a")!.Phase);
        Assert.Equal(2, tracker.Count);
    }

    [Fact]
    public void A_revert_after_the_commit_concludes_again_as_a_failure_of_the_same_update()
    {
        var tracker = new SagaTracker();
        tracker.Apply(Feed("a", 1, Requested("u-1", "r-1")));
        Assert.Equal(UpdateOutcome.Updated, tracker.Apply(Feed("a", 2, new UpdateSucceeded(T0, 5, Fleet.New)))!.Outcome);
        var revert = Feed("a", 3, new RevertAfterCommitObserved(T0, 9, "u-1", "r-1", Fleet.New, Fleet.Old, "reported 1.0.0"));

        var outcome = tracker.Apply(revert);

        Assert.Equal(("u-1", "r-1", UpdateOutcome.RevertedAfterCommit), (outcome!.UpdateId, outcome.RolloutId, outcome.Outcome));
        Assert.Null(tracker.Apply(revert));
        Assert.Null(tracker.Apply(Feed("a", 4, new DeviceStateObserved(T0, 10, Fleet.Report(Fleet.Old)))));
    }

    private static UpdateRequested Requested(string updateId, string? rolloutId) =>
        new(T0, updateId, rolloutId, Fleet.Target(), Fleet.Policy(), updateId + "-check", T0.AddMinutes(10));

    private DeviceFeedEvent Feed(string deviceId, long sequenceNr, IDeviceActorEvent e) => new(deviceId, sequenceNr, ++_offset, e);
}
