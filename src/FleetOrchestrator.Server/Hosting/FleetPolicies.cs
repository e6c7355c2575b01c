using FleetOrchestrator.Server.Access;
using FleetOrchestrator.Server.Api;
using FleetOrchestrator.Server.Downloads;
using Microsoft.AspNetCore.Authorization;

namespace FleetOrchestrator.Server.Hosting;

/// <summary>
/// The two kinds of callers: operators (bearer API key) and devices (Basic with their own secret). Neither can act as
/// the other. <see cref="Operator"/> admits an API key whose role includes what <see cref="AccessRules"/> asks for the
/// request (a viewer's key reads, an operator's also acts, an admin's also manages keys and devices).
/// </summary>
public static class FleetPolicies
{
    public const string Operator = "fleet-operator";
    public const string Device = "fleet-device";

    internal static void Add(AuthorizationOptions options)
    {
        options.AddPolicy(Operator, p => p.AddAuthenticationSchemes(OperatorAuthenticationHandler.SchemeName)
            .RequireAuthenticatedUser().AddRequirements(OperatorRoleRequirement.Instance));
        options.AddPolicy(Device, p => p.AddAuthenticationSchemes(DeviceBasicAuthenticationHandler.SchemeName).RequireAuthenticatedUser());
    }
}
