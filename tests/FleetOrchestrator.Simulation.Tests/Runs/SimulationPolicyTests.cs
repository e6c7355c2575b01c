using FleetOrchestrator.Simulation.Runs;

namespace FleetOrchestrator.Simulation.Tests.Runs;

public sealed class SimulationPolicyTests
{
    [Theory]
    [InlineData(1.0)]
    [InlineData(60.0)]
    [InlineData(10_000.0)]
    [InlineData(double.PositiveInfinity)]
    public void The_compressed_policy_runs_and_its_resend_backoff_stays_within_seconds_when_compressed(double speedup)
    {
        var policy = SimulationPolicy.For(speedup);
        Assert.Null(policy.DescribeProblem());
        Assert.True(policy.ResendIntervalCap >= policy.ResendInterval);
        if (speedup >= 60)
            Assert.True(policy.ResendIntervalCap <= TimeSpan.FromSeconds(20), $"{policy.ResendIntervalCap}");
    }
}
