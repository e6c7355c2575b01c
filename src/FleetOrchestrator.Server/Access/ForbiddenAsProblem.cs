using System.Security.Claims;
using FleetOrchestrator.Server.Hosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;

namespace FleetOrchestrator.Server.Access;

/// <summary>
/// A signed-in key without the role a request needs gets a 403 problem+json naming the role needed and its own
/// (the framework's 403 has neither). Everything else is the framework's default (challenges are the
/// authentication handlers').
/// </summary>
internal sealed class ForbiddenAsProblem : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy,
        PolicyAuthorizationResult authorizeResult)
    {
        var failure = authorizeResult.AuthorizationFailure?.FailureReasons.OfType<RoleFailure>().FirstOrDefault();
        if (!authorizeResult.Forbidden || failure is null)
        {
            await _default.HandleAsync(next, context, policy, authorizeResult).ConfigureAwait(false);
            return;
        }
        var name = context.User.FindFirstValue(ClaimTypes.Name);
        await FleetProblems.Write(context, StatusCodes.Status403Forbidden,
                $"The {failure.Needed.Name()} role is needed",
                $"{context.Request.Method} {context.Request.Path} needs an API key with the {failure.Needed.Name()} " +
                $"role; the key '{name}' has the {failure.Held} role")
            .ConfigureAwait(false);
    }
}
