using FleetOrchestrator.Protocol.Messages;

namespace FleetOrchestrator.Protocol.Idempotency;

/// <summary>What the orchestrator should do with an event it received.</summary>
public enum EventAdmission
{
    /// <summary>New and relevant: process it.</summary>
    Accept,
    /// <summary><c>seq</c> is not above the last one seen on this topic: a QoS 1 redelivery or an old message. Drop.</summary>
    StaleSequence,
    /// <summary>An answer to a command that is no longer outstanding (a late answer to a superseded command). Drop.</summary>
    AnswersOtherCommand,
}

/// <summary>
/// Orchestrator side: the rule that makes at-least-once delivery and re-sent commands harmless (PROTOCOL.md §7).
/// <list type="number">
/// <item>An event whose <c>seq</c> is ≤ the last <c>seq</c> seen from that device on that topic is stale: drop it.</item>
/// <item>An answer (<see cref="IsAnswer"/>) whose <c>commandId</c> is not the outstanding command's id is dropped.
/// Facts (<c>booted</c>, <c>health</c>, <c>rolledBack</c>, and a <c>state</c> nobody asked for) are true whatever was
/// asked, so only rule 1 applies to them.</item>
/// </list>
/// Keep one watermark per topic (<c>evt</c> and <c>state</c>): MQTT orders messages per topic, not across topics, so a
/// retained state snapshot may overtake the events published just before it.
/// Advance the watermark with <see cref="Advance"/> for every event that is not stale, including those dropped by rule 2.
/// </summary>
public static class StaleEventRule
{
    public static EventAdmission Judge(DeviceEvent evt, long? lastSeenSequence, string? outstandingCommandId)
    {
        ArgumentNullException.ThrowIfNull(evt);
        if (lastSeenSequence is { } last && evt.Sequence <= last) return EventAdmission.StaleSequence;
        if (IsAnswer(evt) && !string.Equals(evt.CommandId, outstandingCommandId, StringComparison.Ordinal))
            return EventAdmission.AnswersOtherCommand;
        return EventAdmission.Accept;
    }

    /// <summary>The watermark after seeing <paramref name="evt"/>: never goes down.</summary>
    public static long Advance(long? lastSeenSequence, DeviceEvent evt)
    {
        ArgumentNullException.ThrowIfNull(evt);
        return lastSeenSequence is { } last ? Math.Max(last, evt.Sequence) : evt.Sequence;
    }

    /// <summary>
    /// True for events that only make sense as the answer to one command: ack, progress, staged, stagingFailed,
    /// committed, and a state report carrying a commandId (the answer to getState).
    /// </summary>
    public static bool IsAnswer(DeviceEvent evt) => evt switch
    {
        CommandAcknowledged or DownloadProgress or ImageStaged or StagingFailed or ImageCommitted => true,
        StateReported s => s.CommandId is not null,
        _ => false,
    };
}
