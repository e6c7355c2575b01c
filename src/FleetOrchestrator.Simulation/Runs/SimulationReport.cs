namespace FleetOrchestrator.Simulation.Runs;

/// <summary>
/// The JSON report of one `fleet simulate` run (camelCase on disk). <see cref="WallSeconds"/> runs from the first
/// StartUpdate to the last outcome (the rates divide by it); <see cref="OnlineSeconds"/> is the time from process start
/// until every device was connected and reported; <see cref="TotalSeconds"/> covers both, start to last outcome.
/// <see cref="OutcomesOverTime"/> and <see cref="FaultEffects"/> are what the HTML report draws (ReportSeries).
/// </summary>
public sealed record SimulationReport(
    int Devices,
    long Seed,
    string Faults,
    string Broker,
    string Store,
    string DeviceLink,
    IReadOnlyDictionary<string, int> Outcomes,
    int Unfinished,
    InvariantCounts Invariants,
    double WallSeconds,
    double OnlineSeconds,
    double TotalSeconds,
    long PeakMemoryBytes,
    long MemoryPerDeviceBytes,
    double DevicesPerSecond,
    double EventsPersistedPerSecond,
    double MqttMessagesPerSecond,
    long EventsPersisted,
    long MqttMessages,
    IReadOnlyDictionary<string, int> FinalVersions,
    IReadOnlyDictionary<string, StepDurations> StepDurationsMs,
    IReadOnlyList<DeviceResult> DeviceResults,
    RolloutReport? Rollout = null,
    IReadOnlyList<OutcomeSample>? OutcomesOverTime = null,
    IReadOnlyDictionary<string, FaultEffect>? FaultEffects = null,
    RecoveryReport? Recovery = null)
{
    /// <summary>True when no invariant failed and every device finished.</summary>
    public bool Passed => Invariants.Bricked == 0 && Invariants.AccidentalDowngrades == 0 && Invariants.ViewMismatches == 0
                          && Invariants.UnexpectedOutcomes == 0 && Unfinished == 0 && Rollout?.Passed != false
                          && Recovery?.Passed != false;
}

/// <param name="Bricked">Devices left with no bootable image (stuck in the ROM, locked up, crash-looping, hung).</param>
/// <param name="AccidentalDowngrades">Devices running a version older than the one they started with.</param>
/// <param name="ViewMismatches">Devices whose version or bank in the orchestrator's view differs from the device's own truth.</param>
/// <param name="UnexpectedOutcomes">Devices whose outcome is not the one their faults call for (crash-loop: RolledBack; otherwise Updated).</param>
public sealed record InvariantCounts(int Bricked, int AccidentalDowngrades, int ViewMismatches, int UnexpectedOutcomes);

public sealed record StepDurations(int Count, double P50, double P90, double P99, double Max);

public sealed record DeviceResult(
    string Id,
    string? Outcome,
    string? Reason,
    string? ExpectedOutcome,
    string? Version,
    int Bank,
    string RunState,
    string? ViewVersion,
    int? ViewBank,
    IReadOnlyList<string> Faults);
