using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;

namespace FleetOrchestrator.Server.Access;

/// <summary>
/// Checks <see cref="OperatorRoleRequirement"/> against the request (endpoint routing passes the
/// <see cref="HttpContext"/> as the resource). A refusal carries the role needed, which the 403 names
/// (<see cref="ForbiddenAsProblem"/>).
/// </summary>
internal sealed class OperatorRoleHandler : AuthorizationHandler<OperatorRoleRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context,
        OperatorRoleRequirement requirement)
    {
        if (context.Resource is not HttpContext http) return Task.CompletedTask;
        var needed = AccessRules.RoleFor(http.Request.Method, http.Request.Path);
        var claimed = context.User.FindFirstValue(ClaimTypes.Role);
        if (OperatorRoles.TryParse(claimed, out var role) && role.Includes(needed))
            context.Succeed(requirement);
        else if (context.User.Identity?.IsAuthenticated == true)
            context.Fail(new RoleFailure(this, needed, claimed ?? "none"));
        return Task.CompletedTask;
    }
}
