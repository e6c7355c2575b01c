using FleetOrchestrator.Simulation.Runs;
using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.Devices.Messages;

namespace FleetOrchestrator.Simulation.Tests.Runs;

public sealed class DeviceOutcomesTests
{
    private static SagaOutcome Outcome(string device, UpdateOutcome outcome) =>
        new(device, "u1", "r1", outcome, outcome.ToString(), DateTimeOffset.UnixEpoch);

    [Fact]
    public void A_revert_after_the_commit_replaces_the_updated_it_follows_and_is_not_a_second_finish()
    {
        var outcomes = new DeviceOutcomes();
        Assert.True(outcomes.Record(Outcome("d1", UpdateOutcome.Updated)));
        Assert.False(outcomes.Record(Outcome("d1", UpdateOutcome.RevertedAfterCommit)));
        Assert.Equal(UpdateOutcome.RevertedAfterCommit, outcomes.All["d1"].Outcome);
        Assert.Equal(1, outcomes.Count);
    }

    [Fact]
    public void Otherwise_the_first_outcome_of_a_device_counts()
    {
        var outcomes = new DeviceOutcomes();
        Assert.True(outcomes.Record(Outcome("d1", UpdateOutcome.RolledBack)));
        Assert.False(outcomes.Record(Outcome("d1", UpdateOutcome.Updated)));
        Assert.Equal(UpdateOutcome.RolledBack, outcomes.All["d1"].Outcome);
    }
}
