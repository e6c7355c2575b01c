using Microsoft.AspNetCore.Authorization;

namespace FleetOrchestrator.Server.Access;

/// <summary>The operator policy's requirement: the key's role includes what <see cref="AccessRules"/> asks for the
/// request.</summary>
public sealed class OperatorRoleRequirement : IAuthorizationRequirement
{
    public static readonly OperatorRoleRequirement Instance = new();

    private OperatorRoleRequirement()
    {
    }
}
