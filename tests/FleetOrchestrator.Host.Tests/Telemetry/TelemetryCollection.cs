namespace FleetOrchestrator.Host.Tests.Telemetry;

/// <summary>
/// Tests that read process-wide metrics run alone (xUnit runs a collection that disables parallelization after
/// the others, by itself).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "telemetry";
}
