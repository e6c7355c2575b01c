using System.Security.Claims;

namespace FleetOrchestrator.Server.Access;

/// <summary>The claims a signed-in API key carries: its name (<see cref="ClaimTypes.Name"/>), role
/// (<see cref="ClaimTypes.Role"/>) and public id (<see cref="KeyId"/>).</summary>
public static class OperatorClaims
{
    public const string KeyId = "fleet:key-id";

    public static ClaimsIdentity Identity(StoredApiKey key, string scheme) => new(
    [
        new Claim(ClaimTypes.Name, key.Name),
        new Claim(ClaimTypes.Role, key.Role.Name()),
        new Claim(KeyId, key.Id),
    ], scheme);
}
