namespace FleetOrchestrator.Cli.Tests.Serve;

/// <summary>Tests that set process environment variables run alone: the environment is one per process.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ServeEnvironmentCollection
{
    public const string Name = "serve environment";
}
