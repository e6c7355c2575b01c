namespace FleetOrchestrator.L072.Agent;

public enum AgentOutcome
{
    /// <summary>The command ran.</summary>
    Done,
    /// <summary>The command's effect was already in place (idempotent repeat): nothing was changed.</summary>
    AlreadyDone,
    /// <summary>The command does not apply in the current state; nothing was changed.</summary>
    Rejected,
    /// <summary>The command ran and failed (e.g. CRC mismatch, flash error).</summary>
    Failed,
}

/// <summary>
/// Answer to one agent command. <see cref="Crc"/> carries the CRC the CRC unit computed (staging),
/// <see cref="NextOffset"/> the offset staging expects next (resume point).
/// </summary>
public sealed record AgentResult(AgentOutcome Outcome, string? Reason = null, uint? Crc = null, int? NextOffset = null)
{
    public bool Succeeded => Outcome is AgentOutcome.Done or AgentOutcome.AlreadyDone;

    internal static AgentResult Done(uint? crc = null, int? nextOffset = null) => new(AgentOutcome.Done, null, crc, nextOffset);
    internal static AgentResult AlreadyDone(string reason) => new(AgentOutcome.AlreadyDone, reason);
    internal static AgentResult Rejected(string reason, int? nextOffset = null) => new(AgentOutcome.Rejected, reason, null, nextOffset);
    internal static AgentResult Failed(string reason, uint? crc = null) => new(AgentOutcome.Failed, reason, crc);
}
