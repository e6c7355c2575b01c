using FleetOrchestrator.Server.Access;

namespace FleetOrchestrator.Server.Api.Access;

/// <summary>A key as <c>GET /api/keys</c> lists it: never its secret nor its hash.</summary>
public sealed record ApiKeyView(string Id, string Name, string Role, DateTimeOffset CreatedAt, string CreatedBy,
    DateTimeOffset? RevokedAt)
{
    public static ApiKeyView Of(StoredApiKey key) =>
        new(key.Id, key.Name, key.Role.Name(), key.CreatedAt, key.CreatedBy, key.RevokedAt);
}
