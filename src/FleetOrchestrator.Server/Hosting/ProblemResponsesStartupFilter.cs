using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace FleetOrchestrator.Server.Hosting;

/// <summary>
/// Puts problem+json on the errors no endpoint writes: an unknown route (404), a wrong method (405), a body over
/// Kestrel's limit (413) and an unhandled exception (500), which ASP.NET Core otherwise answers with an empty body.
/// A startup filter, so it wraps the pipeline of every host (fleet serve, tests, the simulation rig) ahead of their
/// own middleware. Bodies already written (every endpoint's and the authentication handlers' problems) are kept.
/// </summary>
internal sealed class ProblemResponsesStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            // A request Kestrel refuses while the endpoint reads it (body too large, malformed) keeps its own status.
            StatusCodeSelector = e => e is BadHttpRequestException bad ? bad.StatusCode
                : StatusCodes.Status500InternalServerError,
        });
        // With AddProblemDetails registered, an empty 4xx/5xx gets a problem body from IProblemDetailsService.
        app.UseStatusCodePages();
        next(app);
    };
}
