using Akka.Actor;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FleetOrchestrator.Host.Adapters;

/// <summary>
/// A request whose actor (a device saga, a rollout, the cluster) did not answer in time gets 503 with a problem body
/// and Retry-After, not an empty 500, and the log says which request and why: under load, or while a downed node's
/// shards move to the survivors, this is a passing condition a client should retry, not a server bug. Registered as
/// an <see cref="IExceptionHandler"/>, which the Server's exception handler middleware asks first.
/// </summary>
internal sealed class AskTimeoutProblems(IProblemDetailsService problems, ILogger<AskTimeoutProblems> log)
    : IExceptionHandler
{
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception,
        CancellationToken cancellationToken)
    {
        if (exception is not AskTimeoutException) return false;
        log.LogWarning("{Method} {Path}: an actor did not answer in time ({Reason}); answered 503",
            httpContext.Request.Method, httpContext.Request.Path, exception.Message);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(
            System.Globalization.CultureInfo.InvariantCulture);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "The orchestrator did not answer in time",
                Detail = "An actor this request asked (a device saga, a rollout or the cluster) did not answer "
                         + "within its timeout: the node is busy, or a node was lost and its shards are moving. "
                         + $"Retry in {RetryAfterSeconds} s; GET /api/cluster shows the members.",
            },
        }).ConfigureAwait(false);
    }
}
