namespace FleetOrchestrator.Simulation.Runs.Html;

/// <summary>One colour per outcome and wave state, the same in every chart and table of the report.</summary>
internal static class OutcomeColors
{
    private static readonly Dictionary<string, string> Colors = new(StringComparer.Ordinal)
    {
        ["Updated"] = "#2e7d32", ["Passed"] = "#2e7d32", ["pass"] = "#2e7d32",
        ["UpToDate"] = "#1565c0",
        ["Incompatible"] = "#6a1b9a",
        ["RolledBack"] = "#ef6c00",
        ["Failed"] = "#c62828", ["Halted"] = "#c62828", ["halt"] = "#c62828",
        ["Lost"] = "#616161",
        ["Cancelled"] = "#795548",
        ["RevertedAfterCommit"] = "#880e4f",
        ["NotStarted"] = "#bdbdbd",
        ["Running"] = "#0288d1", ["Soaking"] = "#4fc3f7", ["AwaitingApproval"] = "#fbc02d",
    };

    public static string Of(string key) => Colors.GetValueOrDefault(key, "#9e9e9e");
}
