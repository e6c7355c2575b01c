using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FleetOrchestrator.Server.Dashboard;

/// <summary>Flushes the <see cref="DashboardHub"/> once per <see cref="DashboardSettings.Tick"/>.</summary>
internal sealed class DashboardTicker(DashboardHub hub, TimeProvider time, ILogger<DashboardTicker> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(hub.Settings.Tick, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await hub.FlushAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A read that failed (the database busy) costs one tick; what changed stays for the next one
                    // only for counters already taken, so say so rather than stop the dashboards' push.
                    log.LogWarning(e, "Dashboard update failed; the next tick tries again");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
