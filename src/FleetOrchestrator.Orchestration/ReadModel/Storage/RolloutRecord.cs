using System.Collections.Immutable;
using System.Text.Json;
using FleetOrchestrator.Orchestration.Rollouts;
using LinqToDB.Mapping;

namespace FleetOrchestrator.Orchestration.ReadModel.Storage;

/// <summary>A <see cref="RolloutListRow"/> as the <c>rollouts</c> table stores it (outcome counts as a JSON object,
/// status by name, times as UTC ticks).</summary>
[Table("rollouts")]
internal sealed class RolloutRecord
{
    [PrimaryKey, Column("rollout_id", CanBeNull = false)] public string RolloutId { get; set; } = "";
    /// <summary>The last journal sequence number applied: events at or below it are duplicates.</summary>
    [Column("sequence_nr")] public long SequenceNr { get; set; }
    [Column("name", CanBeNull = false)] public string Name { get; set; } = "";
    [Column("status", CanBeNull = false)] public string Status { get; set; } = "";
    [Column("download_only")] public bool DownloadOnly { get; set; }
    [Column("activated")] public bool Activated { get; set; }
    [Column("devices")] public int Devices { get; set; }
    [Column("commanded")] public int Commanded { get; set; }
    [Column("outcomes", CanBeNull = false)] public string Outcomes { get; set; } = "{}";
    [Column("started_ticks")] public long StartedTicks { get; set; }
    [Column("updated_ticks")] public long UpdatedTicks { get; set; }

    public static RolloutRecord From(RolloutListRow row, long sequenceNr) => new()
    {
        RolloutId = row.RolloutId,
        SequenceNr = sequenceNr,
        Name = row.Name,
        Status = row.Status.ToString(),
        DownloadOnly = row.DownloadOnly,
        Activated = row.Activated,
        Devices = row.Devices,
        Commanded = row.Commanded,
        Outcomes = JsonSerializer.Serialize(row.Outcomes),
        StartedTicks = row.StartedAt.UtcTicks,
        UpdatedTicks = row.UpdatedAt.UtcTicks,
    };

    public RolloutListRow ToRow() => new(RolloutId, Name, Enum.Parse<RolloutStatus>(Status), DownloadOnly, Activated,
        Devices, Commanded,
        (JsonSerializer.Deserialize<Dictionary<string, int>>(Outcomes) ?? [])
            .ToImmutableSortedDictionary(StringComparer.Ordinal),
        new DateTimeOffset(StartedTicks, TimeSpan.Zero), new DateTimeOffset(UpdatedTicks, TimeSpan.Zero));
}
