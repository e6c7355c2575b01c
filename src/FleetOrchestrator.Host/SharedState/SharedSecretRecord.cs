using LinqToDB.Mapping;

namespace FleetOrchestrator.Host.SharedState;

/// <summary>One named value of the <c>shared_secrets</c> table: a key every node uses, or a one-time import's marker.
/// Written once, never updated.</summary>
[Table("shared_secrets")]
internal sealed class SharedSecretRecord
{
    [PrimaryKey, Column("name", CanBeNull = false)] public string Name { get; set; } = "";
    [Column("value", CanBeNull = false)] public string Value { get; set; } = "";
    [Column("created_ticks")] public long CreatedTicks { get; set; }
}
