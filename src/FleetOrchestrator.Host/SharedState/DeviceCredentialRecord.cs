using LinqToDB.Mapping;

namespace FleetOrchestrator.Host.SharedState;

/// <summary>
/// A device's credentials as the <c>device_credentials</c> table holds them: the salted hash of its secret (base64,
/// as the credential file had it), never the secret. A revocation keeps the row with its time, so that importing an
/// older node's credential file cannot bring a revoked device back; registering the id again replaces the row.
/// </summary>
[Table("device_credentials")]
internal sealed class DeviceCredentialRecord
{
    [PrimaryKey, Column("device_id", CanBeNull = false)] public string DeviceId { get; set; } = "";
    [Column("salt", CanBeNull = false)] public string Salt { get; set; } = "";
    [Column("hash", CanBeNull = false)] public string Hash { get; set; } = "";
    [Column("registered_ticks")] public long RegisteredTicks { get; set; }
    [Column("revoked_ticks")] public long? RevokedTicks { get; set; }
}
