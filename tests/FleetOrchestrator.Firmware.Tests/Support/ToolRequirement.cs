namespace FleetOrchestrator.Firmware.Tests.Support;

/// <summary>
/// What a test that needs an external tool does when the tool is absent: skipped on a developer machine (reported as
/// skipped, with how to get it), failed in CI (<c>CI=true</c>), where tests/run-all.sh installs it, so a broken
/// install cannot pass silently. Never a silent pass.
/// </summary>
internal static class ToolRequirement
{
    /// <summary>The skip reason for a test needing <paramref name="tool"/>, or null when it must run.</summary>
    public static string? SkipReason(string tool) =>
        SkipReason(tool, ExternalTool.IsInstalled(tool), Environment.GetEnvironmentVariable("CI"));

    public static string? SkipReason(string tool, bool installed, string? ciVariable) =>
        installed || IsCi(ciVariable) ? null : $"{tool} is not installed (tests/run-all.sh installs it)";

    /// <summary>Fails the running test when <paramref name="tool"/> is absent (reached only in CI, or without the
    /// attribute).</summary>
    public static void Require(string tool)
    {
        if (!ExternalTool.IsInstalled(tool))
            Assert.Fail($"{tool} is not installed, and this test compares against it " +
                "(CI installs it: tests/run-all.sh)");
    }

    private static bool IsCi(string? value) =>
        string.Equals(value, "true", StringComparison.OrdinalIgnoreCase) || value == "1";
}
