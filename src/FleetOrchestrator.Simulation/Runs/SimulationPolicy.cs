using FleetOrchestrator.Orchestration.Devices.Messages;

namespace FleetOrchestrator.Simulation.Runs;

/// <summary>
/// The saga rules of a simulated rollout. Deadlines are real (wall) time on the orchestrator, so the field values
/// (minutes to hours) are compressed by the same speed-up as the devices' simulated time, with floors that keep a
/// loaded 2-core machine from declaring healthy devices lost.
/// </summary>
public static class SimulationPolicy
{
    public static UpdatePolicy For(double speedup)
    {
        TimeSpan Scaled(TimeSpan field, TimeSpan floor) =>
            double.IsPositiveInfinity(speedup) ? floor : TimeSpan.FromTicks(Math.Max(floor.Ticks, (long)(field.Ticks / speedup)));

        return new UpdatePolicy
        {
            ReachTimeout = Scaled(TimeSpan.FromMinutes(30), TimeSpan.FromSeconds(60)),
            MaxDownloadAttempts = 5,
            DownloadAttemptTimeout = Scaled(TimeSpan.FromMinutes(30), TimeSpan.FromSeconds(60)),
            BackoffBase = Scaled(TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(200)),
            BackoffCap = Scaled(TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(2)),
            MaxIntegrityFailures = 2,
            SwapAckTimeout = Scaled(TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(60)),
            BootTimeout = Scaled(TimeSpan.FromMinutes(15), TimeSpan.FromSeconds(60)),
            HealthWindow = Scaled(TimeSpan.FromMinutes(5), TimeSpan.FromMilliseconds(500)),
            CommitTimeout = Scaled(TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(60)),
            RollbackTimeout = Scaled(TimeSpan.FromMinutes(30), TimeSpan.FromSeconds(90)),
            HealthReportDeadline = Scaled(TimeSpan.FromHours(24), TimeSpan.FromSeconds(90)),
            ResendInterval = Scaled(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(5)),
            // The re-send backoff (PROTOCOL.md §12) compressed too, so a lossy link is asked again within seconds.
            ResendIntervalCap = Scaled(TimeSpan.FromMinutes(15), TimeSpan.FromSeconds(20)),
        };
    }
}
