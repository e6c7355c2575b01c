using System.Diagnostics.Metrics;
using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.Rollouts.Events;

namespace FleetOrchestrator.Orchestration.Telemetry;

/// <summary>
/// The actors' instruments (meter <see cref="MeterName"/>): saga outcomes, step durations, journal writes and gate
/// decisions, recorded where the events are persisted. Process-wide, like the actor system they count. Every tag is
/// a pre-built pair, so a recording allocates nothing; without a listener (no <c>/metrics</c>, no exporter) the
/// instruments are disabled and a recording is a field check.
/// </summary>
public static class OrchestrationMetrics
{
    public const string MeterName = "FleetOrchestrator.Orchestration";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Outcomes = Meter.CreateCounter<long>(
        "fleet_saga_outcomes",
        description: "Update sagas concluded, by outcome (a revert after a commit counts again)");

    private static readonly Histogram<double> StepDurations = Meter.CreateHistogram<double>(
        "fleet_saga_step_duration", unit: "s",
        description: "Duration of a saga step: download, swap_to_boot, health, update (the whole saga)",
        tags: null,
        advice: new InstrumentAdvice<double>
        {
            HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 21600],
        });

    private static readonly Counter<long> JournalWrites = Meter.CreateCounter<long>(
        "fleet_journal_events_written", description: "Events persisted to the journal, by kind (device, rollout)");

    private static readonly Histogram<double> JournalWriteDurations = Meter.CreateHistogram<double>(
        "fleet_journal_write_duration", unit: "s",
        description: "From a device actor's persist to the journal's confirmation of its last event: queue, batch and "
            + "database round trip, which every saga step waits for",
        tags: null,
        advice: new InstrumentAdvice<double>
        {
            HistogramBucketBoundaries = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
        });

    private static readonly Counter<long> GateDecisions = Meter.CreateCounter<long>(
        "fleet_rollout_gate_decisions",
        description: "Gate decisions on waves: pass, await_approval, approved (by an operator), halt");

    private static readonly KeyValuePair<string, object?>[] OutcomeTags =
        [.. Enum.GetValues<UpdateOutcome>().Select(o => new KeyValuePair<string, object?>("outcome", o.ToString()))];

    private static readonly Dictionary<string, KeyValuePair<string, object?>> StepTags =
        SagaSteps.All.ToDictionary(s => s, s => new KeyValuePair<string, object?>("step", s), StringComparer.Ordinal);

    private static readonly KeyValuePair<string, object?> DeviceKind = new("kind", "device");
    private static readonly KeyValuePair<string, object?> RolloutKind = new("kind", "rollout");
    private static readonly KeyValuePair<string, object?> Pass = new("decision", "pass");
    private static readonly KeyValuePair<string, object?> AwaitApproval = new("decision", "await_approval");
    private static readonly KeyValuePair<string, object?> Approved = new("decision", "approved");
    private static readonly KeyValuePair<string, object?> Halt = new("decision", "halt");

    public static void SagaConcluded(UpdateOutcome outcome) => Outcomes.Add(1, OutcomeTags[(int)outcome]);

    public static void StepEnded(SagaStepTiming step)
    {
        if (StepDurations.Enabled && StepTags.TryGetValue(step.Step, out var tag))
            StepDurations.Record(Math.Max(0, step.Duration.TotalSeconds), tag);
    }

    public static void DeviceEventWritten() => JournalWrites.Add(1, DeviceKind);

    /// <summary>Whether <see cref="DeviceEventsPersisted"/> records (a listener is on): else callers skip the
    /// clock.</summary>
    public static bool JournalWriteTimed => JournalWriteDurations.Enabled;

    /// <summary>A device actor's batch of events is confirmed by the journal, <paramref name="took"/> after it
    /// asked.</summary>
    public static void DeviceEventsPersisted(TimeSpan took) =>
        JournalWriteDurations.Record(Math.Max(0, took.TotalSeconds), DeviceKind);

    public static void RolloutEventWritten(IRolloutEvent e)
    {
        JournalWrites.Add(1, RolloutKind);
        switch (e)
        {
            case WavePassed { By: null }:
                GateDecisions.Add(1, Pass);
                break;
            case WavePassed:
                GateDecisions.Add(1, Approved);
                break;
            case WaveAwaitingApproval:
                GateDecisions.Add(1, AwaitApproval);
                break;
            case RolloutHalted:
                GateDecisions.Add(1, Halt);
                break;
        }
    }
}
