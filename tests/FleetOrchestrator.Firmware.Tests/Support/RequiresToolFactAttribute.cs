namespace FleetOrchestrator.Firmware.Tests.Support;

/// <summary>A fact that needs an external tool: skipped at discovery when it is absent, except in CI (<see
/// cref="ToolRequirement"/>).</summary>
public sealed class RequiresToolFactAttribute : FactAttribute
{
    public RequiresToolFactAttribute(string tool)
    {
        Tool = tool;
        if (ToolRequirement.SkipReason(tool) is { } reason) Skip = reason;
    }

    public string Tool { get; }
}
