using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Protocol.Messages;
using LinqToDB.Mapping;

namespace FleetOrchestrator.Orchestration.ReadModel.Storage;

/// <summary>
/// A <see cref="FleetDeviceRow"/> as the <c>fleet_devices</c> table stores it: one column per field, so filters are
/// SQL on indexed columns. Enums are stored by name (a reordered enum must not change stored meaning); times as UTC
/// ticks (the same value on SQLite and PostgreSQL); the hardware target lower-cased (its filter ignores case).
/// </summary>
[Table("fleet_devices")]
internal sealed class FleetDeviceRecord
{
    [PrimaryKey, Column("device_id", CanBeNull = false)] public string DeviceId { get; set; } = "";
    /// <summary>The last journal sequence number applied: events at or below it are duplicates.</summary>
    [Column("sequence_nr")] public long SequenceNr { get; set; }
    [Column("running_version")] public string? RunningVersion { get; set; }
    [Column("active_bank")] public string? ActiveBank { get; set; }
    [Column("image_state")] public string? ImageState { get; set; }
    [Column("hardware_target")] public string? HardwareTarget { get; set; }
    [Column("flash_kb")] public int? FlashSizeKb { get; set; }
    [Column("rom_bootloader")] public string? RomBootloader { get; set; }
    [Column("silicon_revision")] public string? SiliconRevision { get; set; }
    [Column("rdp_level")] public int? RdpLevel { get; set; }
    [Column("bootloader_version")] public string? BootloaderVersion { get; set; }
    [Column("online")] public bool? Online { get; set; }
    [Column("last_seen_ticks")] public long? LastSeenTicks { get; set; }
    [Column("update_id")] public string? UpdateId { get; set; }
    [Column("rollout_id")] public string? RolloutId { get; set; }
    [Column("target_version")] public string? TargetVersion { get; set; }
    [Column("target_artifact_id")] public string? TargetArtifactId { get; set; }
    [Column("phase", CanBeNull = false)] public string Phase { get; set; } = nameof(SagaPhase.None);
    [Column("outcome")] public string? Outcome { get; set; }
    [Column("outcome_reason")] public string? OutcomeReason { get; set; }
    [Column("updated_ticks")] public long UpdatedTicks { get; set; }

    public static FleetDeviceRecord From(FleetDeviceRow row, long sequenceNr) => new()
    {
        DeviceId = row.DeviceId,
        SequenceNr = sequenceNr,
        RunningVersion = row.RunningVersion?.ToString(),
        ActiveBank = row.ActiveBank?.ToString(),
        ImageState = row.ImageState?.ToString(),
        HardwareTarget = row.HardwareTarget?.ToLowerInvariant(),
        FlashSizeKb = row.Hardware?.FlashSizeKb,
        RomBootloader = row.Hardware?.RomBootloader,
        SiliconRevision = row.Hardware?.SiliconRevision,
        RdpLevel = row.Hardware?.RdpLevel,
        BootloaderVersion = row.Hardware?.BootloaderVersion.ToString(),
        Online = row.Online,
        LastSeenTicks = row.LastSeenAt?.UtcTicks,
        UpdateId = row.UpdateId,
        RolloutId = row.RolloutId,
        TargetVersion = row.TargetVersion?.ToString(),
        TargetArtifactId = row.TargetArtifactId,
        Phase = row.Phase.ToString(),
        Outcome = row.Outcome?.ToString(),
        OutcomeReason = row.OutcomeReason,
        UpdatedTicks = row.UpdatedAt.UtcTicks,
    };

    public FleetDeviceRow ToRow() => new(
        DeviceId,
        RunningVersion is null ? null : SemanticVersion.Parse(RunningVersion),
        ActiveBank is null ? null : Enum.Parse<BankId>(ActiveBank),
        ImageState is null ? null : Enum.Parse<ImageState>(ImageState),
        HardwareTarget,
        Online,
        LastSeenTicks is { } seen ? new DateTimeOffset(seen, TimeSpan.Zero) : null,
        UpdateId,
        RolloutId,
        TargetVersion is null ? null : SemanticVersion.Parse(TargetVersion),
        TargetArtifactId,
        Enum.Parse<SagaPhase>(Phase),
        Outcome is null ? null : Enum.Parse<UpdateOutcome>(Outcome),
        OutcomeReason,
        new DateTimeOffset(UpdatedTicks, TimeSpan.Zero))
    {
        Hardware = HardwareOf(),
    };

    /// <summary>The stored hardware facts; the report's target keeps its case in the facts only when complete.</summary>
    private HardwareInfo? HardwareOf() =>
        HardwareTarget is { } target && FlashSizeKb is { } flash && RomBootloader is { } rom && SiliconRevision is { } silicon
        && RdpLevel is { } rdp && BootloaderVersion is { } bootloader
            ? new HardwareInfo(target, flash, rom, silicon, rdp, SemanticVersion.Parse(bootloader))
            : null;
}
