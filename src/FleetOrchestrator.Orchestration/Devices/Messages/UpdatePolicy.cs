namespace FleetOrchestrator.Orchestration.Devices.Messages;

/// <summary>
/// Timing and retry rules of one saga. Persisted with the saga (in <c>UpdateRequested</c>) so a recovered saga keeps the
/// rules it started with even if the defaults change.
/// </summary>
public sealed record UpdatePolicy
{
    /// <summary>How long the device may stay silent when asked for its state before the saga declares it Lost.</summary>
    public TimeSpan ReachTimeout { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Download attempts in total (the first one included) before Failed(download) or Lost.</summary>
    public int MaxDownloadAttempts { get; init; } = 5;

    /// <summary>Deadline of one download attempt, from the command to the staged report.</summary>
    public TimeSpan DownloadAttemptTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Backoff before attempt n+1 is min(cap, base * 2^(n-1)).</summary>
    public TimeSpan BackoffBase { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan BackoffCap { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>CRC mismatches (staged image differs from the manifest) tolerated before Failed(integrity).</summary>
    public int MaxIntegrityFailures { get; init; } = 2;

    /// <summary>False = download-only: stage the image and wait for an <c>ActivateUpdate</c> before the swap.</summary>
    public bool ActivateAutomatically { get; init; } = true;

    /// <summary>
    /// The device-local hours in which the swap may be authorized (null: any time). A staged image waits for the next
    /// opening, a persisted deadline; downloads are not held back.
    /// </summary>
    public SwapWindow? SwapWindow { get; init; }

    /// <summary>Deadline for the swap acknowledgement; the command is re-sent (same id) meanwhile.</summary>
    public TimeSpan SwapAckTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Deadline from the acknowledged swap to the <c>booted</c> report of the new image.</summary>
    public TimeSpan BootTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The health soak: the new image must run this long without a reset or an unhealthy report.</summary>
    public TimeSpan HealthWindow { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long after the health window the saga waits for a health verdict it has not got (a sleeping device reports
    /// at its next wake-up, PROTOCOL.md §8.5) before it rolls back; it never commits without a passing verdict.
    /// </summary>
    public TimeSpan HealthReportDeadline { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Deadline for the commit confirmation; the command is re-sent (same id) meanwhile.</summary>
    public TimeSpan CommitTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Deadline for the device to report the previous image after a rollback began; then RollbackPending.</summary>
    public TimeSpan RollbackTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// First wait before an unanswered command (state query, swap, commit, rollback) is re-sent with the same id; each
    /// further re-send of the same command waits twice as long, up to <see cref="ResendIntervalCap"/>
    /// (PROTOCOL.md §12).
    /// </summary>
    public TimeSpan ResendInterval { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan ResendIntervalCap { get; init; } = TimeSpan.FromMinutes(15);

    public static UpdatePolicy Default { get; } = new();

    /// <summary>Null when the policy can run, otherwise the first problem (a saga never starts on a broken policy).</summary>
    public string? DescribeProblem()
    {
        if (MaxDownloadAttempts < 1) return $"MaxDownloadAttempts is {MaxDownloadAttempts} (at least 1)";
        if (MaxIntegrityFailures < 1) return $"MaxIntegrityFailures is {MaxIntegrityFailures} (at least 1)";
        if (BackoffBase < TimeSpan.Zero || BackoffCap < BackoffBase) return $"backoff base {BackoffBase} / cap {BackoffCap}: need 0 <= base <= cap";
        (string Name, TimeSpan Value)[] waits =
        [
            (nameof(ReachTimeout), ReachTimeout), (nameof(DownloadAttemptTimeout), DownloadAttemptTimeout), (nameof(SwapAckTimeout), SwapAckTimeout),
            (nameof(BootTimeout), BootTimeout), (nameof(HealthWindow), HealthWindow), (nameof(CommitTimeout), CommitTimeout),
            (nameof(RollbackTimeout), RollbackTimeout), (nameof(ResendInterval), ResendInterval),
            (nameof(HealthReportDeadline), HealthReportDeadline), (nameof(ResendIntervalCap), ResendIntervalCap),
        ];
        foreach (var (name, value) in waits)
            if (value <= TimeSpan.Zero)
                return $"{name} is {value} (must be positive)";
        if (SwapWindow?.DescribeProblem() is { } windowProblem) return "SwapWindow: " + windowProblem;
        if (ResendIntervalCap < ResendInterval)
            return $"ResendIntervalCap {ResendIntervalCap} is below ResendInterval {ResendInterval}";
        return null;
    }

    /// <summary>The wait before re-send number <paramref name="resend"/> (1, 2, ...) of one command:
    /// 30 s, 60 s, 120 s ... capped.</summary>
    public TimeSpan ResendDelay(int resend)
    {
        var exponent = Math.Clamp(resend - 1, 0, 30);
        var ticks = ResendInterval.Ticks * Math.Pow(2, exponent);
        return ticks >= ResendIntervalCap.Ticks ? ResendIntervalCap : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>The wait before download attempt <paramref name="nextAttempt"/> (2, 3, ...).</summary>
    public TimeSpan BackoffBefore(int nextAttempt)
    {
        var exponent = Math.Clamp(nextAttempt - 2, 0, 30);
        var ticks = BackoffBase.Ticks * Math.Pow(2, exponent);
        return ticks >= BackoffCap.Ticks ? BackoffCap : TimeSpan.FromTicks((long)ticks);
    }
}
