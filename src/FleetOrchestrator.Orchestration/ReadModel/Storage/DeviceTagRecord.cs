using LinqToDB.Mapping;

namespace FleetOrchestrator.Orchestration.ReadModel.Storage;

/// <summary>
/// One tag of a device (<c>device_tags</c>): region, cell, customer, time zone... set by whoever provisions the device
/// (an operator, the simulator's population), not by the journal. Rollouts select by them and spread waves across
/// the <c>cell</c> tag.
/// </summary>
[Table("device_tags")]
internal sealed class DeviceTagRecord
{
    [PrimaryKey(0), Column("device_id", CanBeNull = false)] public string DeviceId { get; set; } = "";
    [PrimaryKey(1), Column("tag", CanBeNull = false)] public string Tag { get; set; } = "";
    [Column("value", CanBeNull = false)] public string Value { get; set; } = "";
}
