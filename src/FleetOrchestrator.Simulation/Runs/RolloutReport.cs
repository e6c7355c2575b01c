namespace FleetOrchestrator.Simulation.Runs;

/// <summary>
/// What `fleet simulate --rollout` reports of the rollout. <see cref="State"/>: Completed, Halted, Cancelled, Paused,
/// RolledBack (as the engine ended it; anything else means the run timed out in that state), or Planned for a dry
/// run. <see cref="Excluded"/> and <see cref="EtaSeconds"/> come from the plan (dry run and real run alike).
/// </summary>
public sealed record RolloutReport(
    string RolloutId,
    string Policy,
    string State,
    string? HaltReason,
    bool EndedAsPolicySays,
    string Verdict,
    int NotStartedViolations,
    int NotRestored,
    IReadOnlyList<WaveReport> Waves,
    IReadOnlyList<ExcludedDevice> Excluded,
    double EtaSeconds)
{
    /// <summary>Every rollout invariant holds and the rollout ended the way its policy demands.</summary>
    public bool Passed => EndedAsPolicySays && NotStartedViolations == 0 && NotRestored == 0;
}

/// <param name="State">Passed, Halted, RolledBack or NotStarted (Running/Soaking/AwaitingApproval when the run ended
/// before the wave did).</param>
/// <param name="Outcomes">The wave's devices by outcome as the rollout counts them (NotStarted for those it never
/// commanded).</param>
/// <param name="StartedAtSeconds">When the wave began, seconds after the updates began (null: never).</param>
/// <param name="EndedAtSeconds">When its gate ended it (null: it did not end).</param>
/// <param name="Decisions">Its gate's decisions: pass or halt, when, and why.</param>
public sealed record WaveReport(string Name, string State, IReadOnlyList<string> DeviceIds,
    IReadOnlyDictionary<string, int> Outcomes, string Gate, double? StartedAtSeconds = null,
    double? EndedAtSeconds = null, IReadOnlyList<GateDecisionReport>? Decisions = null);

/// <summary>A targeted device the plan leaves out, with the planner's reason key and detail.</summary>
public sealed record ExcludedDevice(string Id, string Reason, string Detail);
