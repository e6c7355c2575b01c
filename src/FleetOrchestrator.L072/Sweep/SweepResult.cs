using FleetOrchestrator.L072.Device;

namespace FleetOrchestrator.L072.Sweep;

/// <summary>One cut that did not end on the new image, committed.</summary>
public sealed record SweepFailure(long CutBeforeOperation, NvmOperation Operation, ProcedureOutcome Outcome);

/// <summary>
/// Outcome of a power-cut sweep: <see cref="Operations"/> counted in the uninterrupted run, one run (cut) per
/// operation, how many were bricked and how many completed, i.e. ended as the uninterrupted run did
/// (<see cref="ExpectedEnd"/>: Completed = NEW committed, RolledBack = the boot guard reverted a bad NEW). A run whose cut never fired (it diverged from the
/// baseline) counts as a cut that did not complete. Success means Bricked = 0 and Completed = Cuts.
/// </summary>
public sealed record SweepResult(
    long Operations,
    long Cuts,
    long Bricked,
    long Completed,
    ProcedureResult ExpectedEnd,
    IReadOnlyDictionary<NvmOperationKind, int> OperationsByKind,
    IReadOnlyList<SweepFailure> Failures,
    TimeSpan SimulatedUpdateTime,
    TimeSpan Elapsed)
{
    public bool Passed => Bricked == 0 && Completed == Cuts;
}
