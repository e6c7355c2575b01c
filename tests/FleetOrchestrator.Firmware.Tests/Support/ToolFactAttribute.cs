namespace FleetOrchestrator.Firmware.Tests.Support;

/// <summary>
/// A test that needs an external tool: reported as skipped, with the reason, where the tool is not on PATH, so a
/// missing tool never shows up as a pass (tests/run-all.sh installs the tools).
/// </summary>
public sealed class ToolFactAttribute : FactAttribute
{
    public ToolFactAttribute(string tool, string debianPackage)
    {
        if (!ExternalTool.IsInstalled(tool))
            Skip = $"'{tool}' is not installed: install the Debian package '{debianPackage}' (tests/run-all.sh does)";
    }
}
