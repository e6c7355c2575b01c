namespace FleetOrchestrator.Simulation.Tests.Measurements;

/// <summary>
/// A measurement, not a check: runs only when FLEET_SIM_MEASURE=1 (it takes a while and prints figures for the README),
/// otherwise it is reported as skipped with that instruction.
/// </summary>
public sealed class MeasurementFactAttribute : FactAttribute
{
    public MeasurementFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("FLEET_SIM_MEASURE") != "1")
            Skip = "measurement: run with FLEET_SIM_MEASURE=1 (see src/FleetOrchestrator.Simulation/README.md)";
    }
}
