using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.Devices.Events;
using FleetOrchestrator.Orchestration.ReadModel;
using FleetOrchestrator.Orchestration.Tests.Support;

namespace FleetOrchestrator.Orchestration.Tests.ReadModel;

/// <summary>The fleet list (read model) shows the new saga facts as the device actor does.</summary>
public sealed class FleetProjectionRevertSpecs
{
    private static readonly DateTimeOffset At = new(2026, 12, 5, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_revert_after_commit_turns_the_listed_outcome_from_updated_to_reverted()
    {
        var row = FleetDeviceRow.Empty("d1", At) with { Phase = SagaPhase.Completed, Outcome = UpdateOutcome.Updated };
        var revert = new RevertAfterCommitObserved(At, 9, "u1", "r1", Fleet.New, Fleet.Old, "revert-after-commit: x");
        row = FleetProjection.Apply(row, revert);
        Assert.Equal((SagaPhase.Completed, UpdateOutcome.RevertedAfterCommit, "revert-after-commit: x"),
            (row.Phase, row.Outcome, row.OutcomeReason));
    }

    [Fact]
    public void The_new_waiting_phases_are_listed()
    {
        var row = FleetDeviceRow.Empty("d1", At);
        Assert.Equal(SagaPhase.ClearingTrial,
            FleetProjection.Apply(row, new LeftoverTrialRollbackCommanded(At, 1, Fleet.New, "u1-clear", At)).Phase);
        Assert.Equal(SagaPhase.AwaitingHealth,
            FleetProjection.Apply(row, new HealthVerdictAwaited(At, "u1-health-state", At)).Phase);
    }
}
