using FleetOrchestrator.Server.Hosting;
using FleetOrchestrator.Server.Telemetry;
using Microsoft.AspNetCore.Http;

namespace FleetOrchestrator.Server.Downloads;

/// <summary>
/// Runs ASP.NET Core's file result (which does the range and If-Range rules) and, when that answers 416, gives the
/// answer a problem+json body like every other error: the framework sends 416 with an empty body. Its
/// <c>Content-Range: bytes */{size}</c> header stays. Bytes answered (200, 206) are counted for the metrics.
/// </summary>
internal sealed class UnsatisfiableRangeAsProblem(IResult image, long size) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        await image.ExecuteAsync(httpContext).ConfigureAwait(false);
        var response = httpContext.Response;
        if (response.StatusCode is StatusCodes.Status200OK or StatusCodes.Status206PartialContent
            && !HttpMethods.IsHead(httpContext.Request.Method) && response.ContentLength is { } sent)
            ServerMetrics.ImageServed(sent);
        if (response.StatusCode != StatusCodes.Status416RangeNotSatisfiable || response.HasStarted) return;
        response.ContentLength = null;
        await FleetProblems.Write(httpContext, StatusCodes.Status416RangeNotSatisfiable, "Range not satisfiable",
            $"the requested range starts at or beyond the end of the {size}-byte image").ConfigureAwait(false);
    }
}
