using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace FleetOrchestrator.Server.Access;

/// <summary>
/// Puts <see cref="AuditMiddleware"/> around the whole pipeline of every host (authentication, authorization and
/// endpoints run inside it), so every mutation is recorded once, including those refused before any endpoint runs.
/// </summary>
internal sealed class AuditStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.UseMiddleware<AuditMiddleware>();
        next(app);
    };
}
