using FleetOrchestrator.Protocol.Validation;

namespace FleetOrchestrator.Orchestration.Devices;

/// <summary>
/// Deterministic command ids: "{updateId}-{step}{attempt}". A re-sent command reuses its id, so the device (which
/// treats a repeated id as a no-op and answers again) never acts twice; a new attempt gets a new id, so answers to an
/// earlier attempt are recognised as stale.
/// </summary>
public static class CommandIds
{
    public static string Check(string updateId) => updateId + "-check";
    public static string Download(string updateId, int attempt) => $"{updateId}-dl{attempt}";
    public static string Erase(string updateId, int attempt) => $"{updateId}-erase{attempt}";
    public static string CancelErase(string updateId) => updateId + "-cancel-erase";
    public static string Swap(string updateId) => updateId + "-swap";
    public static string Commit(string updateId) => updateId + "-commit";
    public static string Rollback(string updateId) => updateId + "-rollback";
    public static string RollbackStateCheck(string updateId) => updateId + "-rb-state";
    public static string BootStateCheck(string updateId) => updateId + "-boot-state";
    public static string HealthStateCheck(string updateId) => updateId + "-health-state";
    public static string ClearTrial(string updateId) => updateId + "-clear-trial";

    /// <summary>
    /// The question to a device whose actor started without having heard from it (no update involved).
    /// </summary>
    public static string Unheard(DateTimeOffset now) => $"unheard-{now.ToUnixTimeSeconds()}";

    /// <summary>
    /// Null when every command id built from <paramref name="updateId"/> is valid on the wire (charset and length of
    /// <see cref="WireIdentifiers.DescribeCommandIdProblem"/>), otherwise why not. The longest ids are the cancel erase
    /// and the erase of the last download attempt.
    /// </summary>
    public static string? DescribeUpdateIdProblem(string updateId, int maxDownloadAttempts)
    {
        if (string.IsNullOrEmpty(updateId))
            return "update id is empty";
        var cancelErase = CancelErase(updateId);
        var lastErase = Erase(updateId, Math.Max(1, maxDownloadAttempts));
        var longest = cancelErase.Length >= lastErase.Length ? cancelErase : lastErase;
        return WireIdentifiers.DescribeCommandIdProblem(longest) is { } problem
            ? $"update id '{updateId}' makes command ids that are not valid on the wire: '{longest}' {problem}"
            : null;
    }
}
