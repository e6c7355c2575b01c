namespace FleetOrchestrator.L072.Agent;

/// <summary>The update state the firmware keeps in data EEPROM (see <see cref="BootRecordStore"/> for where and how).</summary>
public enum BootRecordState : byte
{
    /// <summary>No trial: the running image is kept. A verified staged image may wait in the inactive bank.</summary>
    Committed = 1,
    /// <summary>A swap to <see cref="BootRecord.TrialBank"/> was authorized; the boot guard watches that image.</summary>
    TrialArmed = 2,
    /// <summary>The trial image is being (or has been) abandoned: BFB2 must select the other bank.</summary>
    Reverting = 3,
}

/// <summary>Why the device last went back to (or stayed on) its previous image.</summary>
public enum RevertReason : byte
{
    None = 0,
    /// <summary>Rollback command from the orchestrator.</summary>
    Commanded = 1,
    /// <summary>Boot guard: the trial image reset itself N times (SFTRSTF).</summary>
    CrashLoop = 2,
    /// <summary>Boot guard: the trial image let the IWDG fire N times (IWDGRSTF).</summary>
    WatchdogLoop = 3,
    /// <summary>BFB2 selected the trial bank but the boot logic did not run it (ROM found it invalid, or no dual-bank boot).</summary>
    SwapNotBooted = 4,
    /// <summary>The staged image no longer matched its CRC when the swap was about to happen.</summary>
    StagedImageCorrupt = 5,
}

/// <summary>
/// One boot record. Physical banks are numbered 1 and 2 (never logical addresses: those move with UFB).
/// <see cref="StagedSize"/> = 0 means nothing verified is staged. <see cref="PreviousSize"/> = 0 means no earlier
/// image is kept: otherwise <see cref="PreviousBank"/> holds the image that ran before the last swap, with the CRC it
/// had then (PROTOCOL.md §8.8: kept from the swap until the next download's first erase, so a fleet rollback can swap
/// back to it without a download).
/// </summary>
public sealed record BootRecord(
    uint Sequence,
    BootRecordState State,
    int TrialBank,
    int FailedBoots,
    RevertReason LastRevert,
    uint StagedCrc,
    int StagedSize,
    int StagedBank,
    uint PreviousCrc = 0,
    int PreviousSize = 0,
    int PreviousBank = 0)
{
    /// <summary>What a device that never ran an update has (erased EEPROM).</summary>
    public static BootRecord Factory { get; } = new(0, BootRecordState.Committed, 0, 0, RevertReason.None, 0, 0, 0);

    public bool HasStagedImage => StagedSize > 0;

    public bool HasPreviousImage => PreviousSize > 0;

    public BootRecord WithoutStagedImage() => this with { StagedCrc = 0, StagedSize = 0, StagedBank = 0 };

    public BootRecord WithoutPreviousImage() => this with { PreviousCrc = 0, PreviousSize = 0, PreviousBank = 0 };
}
