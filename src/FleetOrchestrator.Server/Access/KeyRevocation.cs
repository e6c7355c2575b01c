namespace FleetOrchestrator.Server.Access;

/// <summary>What <see cref="IApiKeyStore.RevokeAsync"/> did.</summary>
public enum KeyRevocation
{
    Revoked,
    AlreadyRevoked,
    Unknown,

    /// <summary>
    /// Refused: it is the last admin key that is not revoked, and without it nobody could manage keys.
    /// </summary>
    LastAdmin,
}
