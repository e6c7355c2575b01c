using System.Security.Claims;
using FleetOrchestrator.Server.Api;
using FleetOrchestrator.Server.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace FleetOrchestrator.Server.Access;

/// <summary>
/// Writes one audit record for every mutation of the operator API (any method but GET, HEAD and OPTIONS under
/// <c>/api</c>), whatever its outcome, once the response is decided: who (the key's name, or
/// <see cref="AuditRecord.Anonymous"/>), the action named from the route (<see cref="ActionOf"/>), the target (the
/// created resource's <c>Location</c>, else the path), the remote address, the status and, for a refusal, the
/// problem it answered. A request whose sign-in failed already has its record (<see cref="SignInFailures"/>).
/// </summary>
internal sealed class AuditMiddleware(RequestDelegate next, IAuditLog audit, TimeProvider time,
    ILogger<AuditMiddleware> logger)
{
    private const string RecordedKey = "fleet.audit.recorded";
    private const string NoteKey = "fleet.audit.note";

    /// <summary>Says this request has its audit record already.</summary>
    public static void MarkRecorded(HttpContext context) => context.Items[RecordedKey] = true;

    /// <summary>A detail for this request's record (the problem of a refusal, what an endpoint did).</summary>
    public static void Note(HttpContext context, string detail) => context.Items[NoteKey] = detail;

    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments("/api") || !AccessRules.IsMutation(context.Request.Method))
        {
            await next(context).ConfigureAwait(false);
            return;
        }
        Exception? failure = null;
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            failure = e;
            throw;
        }
        finally
        {
            if (!context.Items.ContainsKey(RecordedKey)) await AppendAsync(context, failure).ConfigureAwait(false);
        }
    }

    private async Task AppendAsync(HttpContext context, Exception? failure)
    {
        var status = failure is null ? context.Response.StatusCode : StatusCodes.Status500InternalServerError;
        var user = await SignedInAsync(context).ConfigureAwait(false);
        var signedIn = user.Identity?.IsAuthenticated == true;
        var target = context.Response.Headers[HeaderNames.Location].ToString() is { Length: > 0 } location
            ? location
            : context.Request.Path.ToString();
        var detail = failure is not null ? $"unhandled {failure.GetType().Name}"
            : context.Items[NoteKey] as string;
        var record = new AuditRecord(time.GetUtcNow(),
            signedIn ? user.FindFirstValue(ClaimTypes.Name) ?? AuditRecord.Anonymous : AuditRecord.Anonymous,
            signedIn ? user.FindFirstValue(ClaimTypes.Role) : null,
            ActionOf(context), target, RemoteAddress.Of(context), AuditRecord.OutcomeOf(status), status, detail);
        try
        {
            await audit.AppendAsync(record, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The request has been answered; the loss of its record must at least be loud.
            logger.LogError(e, "Could not write the audit record of {Method} {Path} by {Actor} ({Status})",
                context.Request.Method, context.Request.Path, record.Actor, status);
        }
    }

    /// <summary>
    /// Who sent the request. Authorization signs the key in on every endpoint of the API; a request that reached none
    /// (an unknown route, a wrong method) is signed in here, so its record still names the key.
    /// </summary>
    private static async Task<ClaimsPrincipal> SignedInAsync(HttpContext context)
    {
        if (context.User.Identity?.IsAuthenticated == true ||
            string.IsNullOrEmpty(context.Request.Headers.Authorization)) return context.User;
        var result = await context.AuthenticateAsync(OperatorAuthenticationHandler.SchemeName).ConfigureAwait(false);
        return result.Principal ?? context.User;
    }

    /// <summary>
    /// The action a request took, named from its route: the route's literal segments after <c>api</c> and a verb,
    /// the value of an <c>{action}</c> parameter where the route has one (<c>rollouts.pause</c>), else the method's
    /// (<c>create</c>, <c>update</c>, <c>delete</c>): <c>artifacts.create</c>, <c>devices.credentials.delete</c>.
    /// A request that matched no route is named from its path.
    /// </summary>
    public static string ActionOf(HttpContext context)
    {
        var method = context.Request.Method;
        var verb = HttpMethods.IsPost(method) ? "create"
            : HttpMethods.IsPut(method) || HttpMethods.IsPatch(method) ? "update"
            : HttpMethods.IsDelete(method) ? "delete"
            : method.ToLowerInvariant();
        var names = new List<string>();
        if (context.GetEndpoint() is RouteEndpoint { RoutePattern: var pattern })
        {
            foreach (var segment in pattern.PathSegments)
            {
                if (segment.IsSimple && segment.Parts[0] is RoutePatternLiteralPart literal)
                    names.Add(literal.Content);
                else if (segment.IsSimple && segment.Parts[0] is RoutePatternParameterPart { Name: "action" } &&
                         context.Request.RouteValues["action"] is string action)
                    verb = action;
            }
        }
        else
        {
            names.AddRange(context.Request.Path.ToString().Split('/', StringSplitOptions.RemoveEmptyEntries));
        }
        if (names.Count > 0 && names[0].Equals("api", StringComparison.OrdinalIgnoreCase)) names.RemoveAt(0);
        names.Add(verb);
        return string.Join('.', names.Select(n => n.ToLowerInvariant()));
    }
}
