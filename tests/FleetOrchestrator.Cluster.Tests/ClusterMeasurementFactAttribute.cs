namespace FleetOrchestrator.Cluster.Tests;

/// <summary>A measurement, not a check: it runs only when FLEET_CLUSTER_MEASURE=1
/// (docs/simulate-benchmarks.md).</summary>
public sealed class ClusterMeasurementFactAttribute : FactAttribute
{
    public ClusterMeasurementFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("FLEET_CLUSTER_MEASURE") != "1")
            Skip = "measurement: run with FLEET_CLUSTER_MEASURE=1 (see docs/simulate-benchmarks.md, 'Three nodes')";
    }
}
