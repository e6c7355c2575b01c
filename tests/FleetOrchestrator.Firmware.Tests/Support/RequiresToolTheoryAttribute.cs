namespace FleetOrchestrator.Firmware.Tests.Support;

/// <summary>A theory that needs an external tool: skipped at discovery when it is absent, except in CI (<see
/// cref="ToolRequirement"/>).</summary>
public sealed class RequiresToolTheoryAttribute : TheoryAttribute
{
    public RequiresToolTheoryAttribute(string tool)
    {
        Tool = tool;
        if (ToolRequirement.SkipReason(tool) is { } reason) Skip = reason;
    }

    public string Tool { get; }
}
