namespace FleetOrchestrator.Server.Access;

/// <summary>
/// An API key as it is kept: its public id and name, its role, and only a salted hash of the secret
/// (<see cref="ApiKeySecrets"/>). Revoked keys stay listed, with the time, and never authenticate again.
/// </summary>
public sealed record StoredApiKey(
    string Id,
    string Name,
    OperatorRole Role,
    byte[] Salt,
    byte[] Hash,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset? RevokedAt);
