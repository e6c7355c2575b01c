using FleetOrchestrator.Server.Access;
using LinqToDB.Mapping;

namespace FleetOrchestrator.Host.Access;

/// <summary>A <see cref="StoredApiKey"/> as the <c>api_keys</c> table holds it: salt and salted hash as hex, the role
/// by name, times as UTC ticks.</summary>
[Table("api_keys")]
internal sealed class ApiKeyRecord
{
    [PrimaryKey, Column("key_id", CanBeNull = false)] public string KeyId { get; set; } = "";
    [Column("name", CanBeNull = false)] public string Name { get; set; } = "";
    [Column("role", CanBeNull = false)] public string Role { get; set; } = "";
    [Column("salt", CanBeNull = false)] public string Salt { get; set; } = "";
    [Column("hash", CanBeNull = false)] public string Hash { get; set; } = "";
    [Column("created_ticks")] public long CreatedTicks { get; set; }
    [Column("created_by", CanBeNull = false)] public string CreatedBy { get; set; } = "";
    [Column("revoked_ticks")] public long? RevokedTicks { get; set; }

    public static ApiKeyRecord From(StoredApiKey key) => new()
    {
        KeyId = key.Id,
        Name = key.Name,
        Role = key.Role.Name(),
        Salt = Convert.ToHexStringLower(key.Salt),
        Hash = Convert.ToHexStringLower(key.Hash),
        CreatedTicks = key.CreatedAt.UtcTicks,
        CreatedBy = key.CreatedBy,
        RevokedTicks = key.RevokedAt?.UtcTicks,
    };

    public StoredApiKey ToKey()
    {
        if (!OperatorRoles.TryParse(Role, out var role))
            throw new InvalidOperationException($"api_keys row '{KeyId}' has an unknown role '{Role}'");
        return new StoredApiKey(KeyId, Name, role, Convert.FromHexString(Salt), Convert.FromHexString(Hash),
            new DateTimeOffset(CreatedTicks, TimeSpan.Zero), CreatedBy,
            RevokedTicks is { } revoked ? new DateTimeOffset(revoked, TimeSpan.Zero) : null);
    }
}
