namespace FleetOrchestrator.Host.Tests.Cluster;

/// <summary>Tests that set process environment variables run alone: the environment is one per process.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessEnvironmentCollection
{
    public const string Name = "process environment";
}
