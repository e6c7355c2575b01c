namespace FleetOrchestrator.Simulation.Faults;

/// <summary>CLI spelling of every <see cref="FaultKind"/>, and which ones are per-device shares or run-level flags.</summary>
public static class FaultNames
{
    private static readonly (FaultKind Kind, string Name, bool IsFlag)[] All =
    [
        (FaultKind.CrashLoop, "crash-loop", false),
        (FaultKind.CorruptTransfer, "corrupt-transfer", false),
        (FaultKind.OfflineDuringSwap, "offline-during-swap", false),
        (FaultKind.DuplicateMessages, "duplicate-messages", false),
        (FaultKind.ReorderedMessages, "reordered-messages", false),
        (FaultKind.PowerCut, "power-cut", false),
        (FaultKind.OrchestratorRestart, "orchestrator-restart", true),
        (FaultKind.BrokerRestart, "broker-restart", true),
    ];

    /// <summary>Every known name, in the order the help text lists them.</summary>
    public static IReadOnlyList<string> Known { get; } = [.. All.Select(f => f.Name)];

    public static string NameOf(FaultKind kind) => All.First(f => f.Kind == kind).Name;

    /// <summary>True for run-level faults that take no share (<c>orchestrator-restart</c>, <c>broker-restart</c>).</summary>
    public static bool IsFlag(FaultKind kind) => All.First(f => f.Kind == kind).IsFlag;

    public static bool TryParse(string name, out FaultKind kind)
    {
        foreach (var f in All)
        {
            if (string.Equals(f.Name, name, StringComparison.Ordinal))
            {
                kind = f.Kind;
                return true;
            }
        }
        kind = default;
        return false;
    }
}
