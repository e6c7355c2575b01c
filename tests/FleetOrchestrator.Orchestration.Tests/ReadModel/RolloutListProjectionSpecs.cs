using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.Feed;
using FleetOrchestrator.Orchestration.Persistence;
using FleetOrchestrator.Orchestration.ReadModel;
using FleetOrchestrator.Orchestration.ReadModel.Storage;
using FleetOrchestrator.Orchestration.Rollouts;
using FleetOrchestrator.Orchestration.Rollouts.Messages;
using FleetOrchestrator.Orchestration.Rollouts.Policy;
using FleetOrchestrator.Orchestration.Tests.Support;
using static FleetOrchestrator.Orchestration.Tests.Support.RolloutFixtures;

namespace FleetOrchestrator.Orchestration.Tests.ReadModel;

/// <summary>
/// The rollout list's projection says what the rollout itself says: after every event of a decider-driven run, its
/// status is <see cref="RolloutState"/>'s (the source of the rule), and its counts are the state's. Its table applies
/// each event once and resumes after its stored offset.
/// </summary>
public sealed class RolloutListProjectionSpecs : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("rollout-list-").FullName;

    private static RolloutListRow AssertAgrees(RolloutRun run)
    {
        var state = RolloutState.Empty(RolloutId);
        RolloutListRow? row = null;
        foreach (var e in run.Journal)
        {
            state = state.Apply(e);
            row = RolloutListProjection.Apply(row, RolloutId, e);
            Assert.Equal(state.Status, row!.Status);
        }
        Assert.Equal(state.Devices.Count, row!.Devices);
        Assert.Equal(state.Devices.Values.Count(d => d.Outcome == UpdateOutcome.Updated),
            row.Outcomes.GetValueOrDefault("Updated"));
        Assert.Equal(state.Devices.Values.Count(d => d.Outcome == UpdateOutcome.Failed),
            row.Outcomes.GetValueOrDefault("Failed"));
        return row;
    }

    private static RolloutRun HaltedInSecondWave(HaltAction onHalt)
    {
        var run = new RolloutRun().Started(Start(Policy(gate: Gate(minSample: 4, failures: 0.2, soak: TimeSpan.Zero),
            onHalt: onHalt), Waves(4, 6, 6)));
        run.ConcludeWave(0, UpdateOutcome.Updated);
        foreach (var id in new[] { "d04", "d05", "d06" }) run.Conclude(id, UpdateOutcome.Updated);
        run.Conclude("d07", UpdateOutcome.Failed);
        return run;
    }

    [Fact]
    public void A_halt_overridden_by_approval_then_cancelled()
    {
        var run = HaltedInSecondWave(HaltAction.Pause);
        Assert.Equal(RolloutStatus.Halted, AssertAgrees(run).Status);
        Assert.True(run.Command(new ApproveWave(RolloutId, Ops)).Accepted);
        Assert.Equal(RolloutStatus.Running, AssertAgrees(run).Status);
        Assert.True(run.Command(new PauseRollout(RolloutId, Ops)).Accepted);
        Assert.True(run.Command(new ResumeRollout(RolloutId, Ops)).Accepted);
        Assert.True(run.Command(new CancelRollout(RolloutId, Ops)).Accepted);
        Assert.Equal(RolloutStatus.Cancelled, AssertAgrees(run).Status);
    }

    [Fact]
    public void A_gate_rollback_of_the_halted_wave_to_its_end()
    {
        var run = HaltedInSecondWave(HaltAction.RollbackWave);
        Assert.Equal(RolloutStatus.RollingBack, AssertAgrees(run).Status);
        run.Conclude("d08", UpdateOutcome.Updated);
        run.Conclude("d09", UpdateOutcome.Updated);
        foreach (var back in run.State.Devices.Values.Where(d => d.RollbackUpdateId is not null).ToList())
            run.Command(new SagaConcluded(RolloutId, back.DeviceId, back.RollbackUpdateId!, UpdateOutcome.Updated, null,
                run.Now));
        var row = AssertAgrees(run);
        Assert.Equal(run.State.Status, row.Status);
    }

    [Fact]
    public void Download_only_resumes_to_staging_until_activated_and_completes()
    {
        var run = new RolloutRun().Started(Start(Policy(waves: 2, downloadOnly: true,
            gate: Gate(minSample: 1, soak: TimeSpan.Zero)), Waves(2, 2)));
        Assert.True(run.Command(new PauseRollout(RolloutId, Ops)).Accepted);
        Assert.True(run.Command(new ResumeRollout(RolloutId, Ops)).Accepted);
        Assert.Equal(RolloutStatus.Staging, AssertAgrees(run).Status);
        Assert.True(run.Command(new ActivateRollout(RolloutId, Ops)).Accepted);
        Assert.Equal(RolloutStatus.Running, AssertAgrees(run).Status);
        for (var i = 0; i < 3 && run.State.Status == RolloutStatus.Running; i++)
        {
            foreach (var d in run.State.Devices.Values.Where(d => d.Step == RolloutDeviceStep.Commanded).ToList())
                run.Conclude(d.DeviceId, UpdateOutcome.Updated);
            run.Advance(TimeSpan.FromMinutes(1));
        }
        var row = AssertAgrees(run);
        Assert.Equal(RolloutStatus.Completed, row.Status);
        Assert.Equal(4, row.Outcomes["Updated"]);
    }

    [Fact]
    public async Task The_table_applies_each_event_once_and_a_new_store_resumes_after_its_offset()
    {
        var run = HaltedInSecondWave(HaltAction.Pause);
        var feed = run.Journal.Select((e, i) => new RolloutFeedEvent(RolloutId, i + 1, 100 + i, e)).ToList();
        var database = FleetPersistenceOptions.Sqlite(Path.Combine(_folder, "fleet.db"));
        var store = new FleetReadStore(database);

        var first = await store.ApplyRolloutsAsync(feed[..5]);
        var reopened = new FleetReadStore(database);
        Assert.Equal(first, await reopened.PositionOfAsync(FleetReadStore.RolloutListProjectionId));
        // A resumed query repeats the last event it delivered: recognised by its sequence number.
        await reopened.ApplyRolloutsAsync(feed[4..]);

        var row = Assert.Single(await reopened.ListRolloutsAsync());
        var expected = AssertAgrees(run);
        Assert.Equal(expected.Outcomes, row.Outcomes);
        Assert.Equal(expected, row with { Outcomes = expected.Outcomes });
        var position = await reopened.PositionOfAsync(FleetReadStore.RolloutListProjectionId);
        Assert.Equal(feed.Count, position.EventsApplied);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
