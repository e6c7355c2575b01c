using System.Diagnostics;
using Akka.Actor;
using FleetOrchestrator.Orchestration.Devices.Messages;

namespace FleetOrchestrator.Simulation.Runs;

public sealed partial class FleetRunner
{
    // Far above Akka's 50 concurrent recoveries, so the asks never hold the journal back.
    private const int RecoveryAsks = 1000;
    // A saga that has not answered an ask (30 s) is asked again until this long after the restart: while the shards
    // replay their remember-entities logs the first answers are slow; only one that never comes is a failure.
    private static readonly TimeSpan RecoveryDeadline = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The restart of a whole orchestrator and the recovery of every saga from the journal, timed (the devices have
    /// left: what is measured is the journal, not their reconnection). Each saga's recovered view must equal the one
    /// it gave before the restart.
    /// </summary>
    private async Task<RecoveryReport> MeasureRecoveryAsync(SimulationReport before,
        CancellationToken cancellationToken)
    {
        Say($"measuring recovery: restarting the orchestrator on the same database, then asking all " +
            $"{before.DeviceResults.Count} sagas");
        var restart = Stopwatch.StartNew();
        await RestartOrchestratorAsync(cancellationToken).ConfigureAwait(false);
        var restartSeconds = restart.Elapsed.TotalSeconds;
        var recovery = Stopwatch.StartNew();
        int answered = 0, unanswered = 0, changed = 0, askedAgain = 0;
        using var progress = EveryProgressInterval(() => Say(
            $"[{recovery.Elapsed.TotalSeconds,6:0.0}s] recovering: {Volatile.Read(ref answered)}/" +
            $"{before.DeviceResults.Count} sagas answered"));
        var host = _host!;
        await Parallel.ForEachAsync(before.DeviceResults,
            new ParallelOptions { MaxDegreeOfParallelism = RecoveryAsks, CancellationToken = cancellationToken },
            async (device, ct) =>
            {
                var view = await ViewOfAsync(host, device.Id, AskTimeout, ct).ConfigureAwait(false);
                if (view is null) Interlocked.Increment(ref askedAgain);
                while (view is null && recovery.Elapsed < RecoveryDeadline)
                    view = await ViewOfAsync(host, device.Id, AskTimeout, ct).ConfigureAwait(false);
                if (view is null)
                {
                    Interlocked.Increment(ref unanswered);
                    return;
                }
                Interlocked.Increment(ref answered);
                if (!SameAsBefore(device, view)) Interlocked.Increment(ref changed);
            }).ConfigureAwait(false);
        var seconds = recovery.Elapsed.TotalSeconds;
        var report = new RecoveryReport(before.DeviceResults.Count, restartSeconds, seconds,
            answered / Math.Max(seconds, 0.001), askedAgain, unanswered, changed,
            Process.GetCurrentProcess().WorkingSet64);
        Say($"recovery: orchestrator restarted in {restartSeconds:0.0}s; {answered} sagas recovered from the journal " +
            $"in {seconds:0.0}s ({report.SagasPerSecond:0}/s); " +
            $"{askedAgain} asked again after {AskTimeout.TotalSeconds:0} s, " +
            $"{unanswered} unanswered, {changed} changed; {report.WorkingSetBytes / (1024 * 1024)} MB");
        return report;
    }

    private static bool SameAsBefore(DeviceResult before, DeviceSagaView after)
    {
        var (version, bank) = SimulationReports.ViewedImage(after);
        var outcome = after.Saga?.Outcome?.ToString();
        return version?.ToString() == before.ViewVersion && bank == before.ViewBank
               && (before.Outcome is null || outcome == before.Outcome);
    }
}
