namespace FleetOrchestrator.Server.Api.Access;

/// <summary>
/// The answer of <c>POST /api/keys</c>: the new key with its secret <see cref="Key"/>, shown only here.
/// </summary>
public sealed record CreatedApiKey(string Id, string Name, string Role, DateTimeOffset CreatedAt, string Key);
