using Microsoft.AspNetCore.Authorization;

namespace FleetOrchestrator.Server.Access;

/// <summary>
/// Why a signed-in key was refused: the request needs <see cref="Needed"/>, the key has <see cref="Held"/>.
/// </summary>
internal sealed class RoleFailure(IAuthorizationHandler handler, OperatorRole needed, string held)
    : AuthorizationFailureReason(handler, $"this needs the {needed.Name()} role; the key has the {held} role")
{
    public OperatorRole Needed { get; } = needed;
    public string Held { get; } = held;
}
