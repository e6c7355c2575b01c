using System.Globalization;
using System.Text.Json.Nodes;
using FleetOrchestrator.Simulation.Runs;

namespace FleetOrchestrator.Cli.Commands.Client.Simulate;

/// <summary>
/// The `updatePolicy` a run against a server sends with its rollout: the saga deadlines <see cref="SimulationPolicy"/>
/// gives an in-process run at the same speed-up (the devices' time is compressed, so the server's deadlines must be
/// too: a field health window of 10 minutes would hold every wave for 10 wall minutes), rounded up to the whole seconds
/// the API takes. It applies to this rollout's sagas only; the server's defaults stay.
/// </summary>
internal static class SagaTiming
{
    public static JsonObject For(double speedup)
    {
        var p = SimulationPolicy.For(speedup);
        return new JsonObject
        {
            ["reachTimeout"] = Duration(p.ReachTimeout),
            ["maxDownloadAttempts"] = p.MaxDownloadAttempts,
            ["downloadAttemptTimeout"] = Duration(p.DownloadAttemptTimeout),
            ["backoffBase"] = Duration(p.BackoffBase),
            ["backoffCap"] = Duration(p.BackoffCap),
            ["maxIntegrityFailures"] = p.MaxIntegrityFailures,
            ["swapAckTimeout"] = Duration(p.SwapAckTimeout),
            ["bootTimeout"] = Duration(p.BootTimeout),
            ["healthWindow"] = Duration(p.HealthWindow),
            ["healthReportDeadline"] = Duration(p.HealthReportDeadline),
            ["commitTimeout"] = Duration(p.CommitTimeout),
            ["rollbackTimeout"] = Duration(p.RollbackTimeout),
            ["resendInterval"] = Duration(p.ResendInterval),
            ["resendIntervalCap"] = Duration(p.ResendIntervalCap),
        };
    }

    /// <summary>"hh:mm:ss", hours past 23 allowed, at least one second.</summary>
    public static string Duration(TimeSpan value)
    {
        var seconds = Math.Max(1, (long)Math.Ceiling(value.TotalSeconds));
        return string.Create(CultureInfo.InvariantCulture,
            $"{seconds / 3600:00}:{seconds / 60 % 60:00}:{seconds % 60:00}");
    }
}
