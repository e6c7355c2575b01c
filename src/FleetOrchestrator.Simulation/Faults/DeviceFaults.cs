namespace FleetOrchestrator.Simulation.Faults;

/// <summary>
/// The faults one simulated device carries. <see cref="PowerCutAtOperation"/> counts flash/EEPROM/option-byte
/// operations from the start of the device's first download (1 = the very first page erase); an update of a 96 KB
/// image is about 2,320 operations including the swap.
/// </summary>
public sealed record DeviceFaults
{
    public static DeviceFaults None { get; } = new();

    /// <summary>Informational: the fleet runner gives this device a crash-looping target image.</summary>
    public bool CrashLoop { get; init; }
    public bool CorruptTransfer { get; init; }
    public bool OfflineDuringSwap { get; init; }
    public bool DuplicateMessages { get; init; }
    public bool ReorderedMessages { get; init; }
    public long? PowerCutAtOperation { get; init; }

    public bool Any => CrashLoop || CorruptTransfer || OfflineDuringSwap || DuplicateMessages || ReorderedMessages || PowerCutAtOperation is not null;

    /// <summary>The CLI names of the faults this device carries, for reports.</summary>
    public IEnumerable<string> Names()
    {
        if (CrashLoop) yield return FaultNames.NameOf(FaultKind.CrashLoop);
        if (CorruptTransfer) yield return FaultNames.NameOf(FaultKind.CorruptTransfer);
        if (OfflineDuringSwap) yield return FaultNames.NameOf(FaultKind.OfflineDuringSwap);
        if (DuplicateMessages) yield return FaultNames.NameOf(FaultKind.DuplicateMessages);
        if (ReorderedMessages) yield return FaultNames.NameOf(FaultKind.ReorderedMessages);
        if (PowerCutAtOperation is { } op) yield return $"{FaultNames.NameOf(FaultKind.PowerCut)}@{op}";
    }
}
