using FleetOrchestrator.Server.Api;
using FleetOrchestrator.Server.Downloads;
using Microsoft.AspNetCore.Authorization;

namespace FleetOrchestrator.Server.Hosting;

/// <summary>The two kinds of callers: operators (bearer API key) and devices (Basic with their own secret). Neither can act as the other.</summary>
public static class FleetPolicies
{
    public const string Operator = "fleet-operator";
    public const string Device = "fleet-device";

    internal static void Add(AuthorizationOptions options)
    {
        options.AddPolicy(Operator, p => p.AddAuthenticationSchemes(OperatorAuthenticationHandler.SchemeName).RequireAuthenticatedUser());
        options.AddPolicy(Device, p => p.AddAuthenticationSchemes(DeviceBasicAuthenticationHandler.SchemeName).RequireAuthenticatedUser());
    }
}
