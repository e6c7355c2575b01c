using LinqToDB.Mapping;

namespace FleetOrchestrator.Host.SharedState;

/// <summary>An artifact as the <c>artifacts</c> table holds it: metadata and signed manifest as the JSON the file
/// store writes, the image bytes (at most one 96 KB bank) in a blob/bytea column.</summary>
[Table("artifacts")]
internal sealed class ArtifactRecord
{
    [PrimaryKey, Column("id", CanBeNull = false)] public string Id { get; set; } = "";
    [Column("metadata", CanBeNull = false)] public string Metadata { get; set; } = "";
    [Column("manifest", CanBeNull = false)] public string Manifest { get; set; } = "";
    [Column("image", CanBeNull = false)] public byte[] Image { get; set; } = [];
    [Column("uploaded_ticks")] public long UploadedTicks { get; set; }
}
