using LinqToDB.Mapping;

namespace FleetOrchestrator.Orchestration.ReadModel.Storage;

/// <summary>
/// How far one projection has read the journal (the <c>projection_offsets</c> table): the ordering of the last event it
/// applied, written in the same transaction as the rows that event changed, so a restart resumes exactly after it.
/// </summary>
[Table("projection_offsets")]
internal sealed class ProjectionOffsetRecord
{
    [PrimaryKey, Column("projection_id", CanBeNull = false)] public string ProjectionId { get; set; } = "";
    [Column("journal_offset")] public long Offset { get; set; }
    [Column("events_applied")] public long EventsApplied { get; set; }
}
