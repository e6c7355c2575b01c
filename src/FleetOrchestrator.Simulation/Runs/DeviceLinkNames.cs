namespace FleetOrchestrator.Simulation.Runs;

/// <summary>The names of <see cref="DeviceLink"/> on the command line (<c>--device-link</c>) and in the report.</summary>
public static class DeviceLinkNames
{
    public static string Name(this DeviceLink link) => link switch
    {
        DeviceLink.InProcess => "inprocess",
        DeviceLink.Tcp => "tcp",
        _ => throw new ArgumentOutOfRangeException(nameof(link), link, "unknown device link"),
    };

    /// <summary>Accepts the names above in any case, and "in-process".</summary>
    public static DeviceLink Parse(string value) => value.ToLowerInvariant() switch
    {
        "inprocess" or "in-process" => DeviceLink.InProcess,
        "tcp" => DeviceLink.Tcp,
        _ => throw new FormatException($"--device-link must be inprocess or tcp, got '{value}'"),
    };
}
