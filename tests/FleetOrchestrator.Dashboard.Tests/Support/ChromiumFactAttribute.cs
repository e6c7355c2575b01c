namespace FleetOrchestrator.Dashboard.Tests.Support;

/// <summary>
/// A test that needs Debian's Chromium: skipped on a developer machine without it (saying how to get it), run in CI
/// (<c>CI=true</c>, where tests/run-all.sh installs it), so a missing browser fails there instead of passing.
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (!Chromium.IsInstalled && !IsCi(Environment.GetEnvironmentVariable("CI")))
            Skip = $"{Chromium.ExecutablePath} is not installed (apt-get install chromium; tests/run-all.sh does)";
    }

    private static bool IsCi(string? value) =>
        string.Equals(value, "true", StringComparison.OrdinalIgnoreCase) || value == "1";
}
