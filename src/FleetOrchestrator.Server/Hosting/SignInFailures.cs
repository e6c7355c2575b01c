using FleetOrchestrator.Server.Access;
using FleetOrchestrator.Throttling;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FleetOrchestrator.Server.Hosting;

/// <summary>
/// What happens to a failed sign-in (a wrong operator key, wrong device credentials), for both authentication
/// schemes: it is logged, at most <see cref="LogBurst"/> lines per address at once and one per
/// <see cref="LogRefill"/> after that, and its 401 waits longer with every failure from the same address
/// (<see cref="FleetServerOptions.SignInFailuresBeforeDelay"/> free, then doubling up to the maximum), so guessing
/// keys or secrets gets slow. Every failure is also an audit record (action <c>sign-in</c>, outcome
/// <c>refused</c>), written before the wait, and is the only record of its request (<see cref="AuditMiddleware"/>).
/// A request without credentials is not a failure.
/// </summary>
internal sealed class SignInFailures
{
    public const int LogBurst = 5;
    public static readonly TimeSpan LogRefill = TimeSpan.FromSeconds(10);

    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly FailureBackoff _backoff;
    private readonly KeyedRateLimiter _logLimit;
    private readonly IAuditLog _audit;

    public SignInFailures(FleetServerOptions options, TimeProvider time, ILoggerFactory logs, IAuditLog audit)
    {
        _audit = audit;
        _time = time;
        _logger = logs.CreateLogger("FleetOrchestrator.Server.SignIn");
        _backoff = new FailureBackoff(time, options.SignInFailuresBeforeDelay, options.SignInFailureDelay,
            options.MaxSignInFailureDelay, forgetAfter: TimeSpan.FromMinutes(15));
        _logLimit = new KeyedRateLimiter(time, LogBurst, LogRefill);
    }

    /// <summary>
    /// Audits and logs the failure (the log rate-limited) and waits as long as this address has earned before the
    /// 401 is written. <paramref name="claimed"/> is who the credentials claimed to be (a key or device id), if any.
    /// </summary>
    public async Task OnFailureAsync(HttpContext context, string who, string reason, string? claimed = null)
    {
        var address = RemoteAddress.Of(context);
        var delay = _backoff.RecordFailure(address);
        await AuditAsync(context, who, reason, claimed, address).ConfigureAwait(false);
        // The wait starts before the line is written, so whoever reads the log knows the timer is already running.
        var wait = delay > TimeSpan.Zero ? Task.Delay(delay, _time, context.RequestAborted) : Task.CompletedTask;
        if (_logLimit.TryAcquire(address, out int suppressed))
            _logger.LogWarning(
                "Failed {Who} sign-in from {Address}: {Reason}; its 401 waits {Delay} " +
                "({Suppressed} earlier failures from it not logged)",
                who, address, reason, delay, suppressed);
        await wait.ConfigureAwait(false);
    }

    private async Task AuditAsync(HttpContext context, string who, string reason, string? claimed, string address)
    {
        AuditMiddleware.MarkRecorded(context);
        var record = new AuditRecord(_time.GetUtcNow(), claimed ?? "(unknown)", null, AuditActions.SignIn,
            $"{context.Request.Method} {context.Request.Path}", address, AuditRecord.Refused,
            StatusCodes.Status401Unauthorized, $"{who}: {reason}");
        try
        {
            await _audit.AppendAsync(record, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogError(e, "Could not write the audit record of a failed {Who} sign-in from {Address}", who,
                address);
        }
    }
}
