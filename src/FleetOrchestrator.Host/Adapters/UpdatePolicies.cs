using FleetOrchestrator.Orchestration.Devices.Messages;
using FleetOrchestrator.Server.Api;

namespace FleetOrchestrator.Host.Adapters;

/// <summary>An update order's policy overrides on top of the orchestrator's default
/// <see cref="UpdatePolicy"/>.</summary>
internal static class UpdatePolicies
{
    public static UpdatePolicy With(UpdatePolicy defaults, UpdatePolicyOverrides o) => defaults with
    {
        ReachTimeout = o.ReachTimeout ?? defaults.ReachTimeout,
        MaxDownloadAttempts = o.MaxDownloadAttempts ?? defaults.MaxDownloadAttempts,
        DownloadAttemptTimeout = o.DownloadAttemptTimeout ?? defaults.DownloadAttemptTimeout,
        BackoffBase = o.BackoffBase ?? defaults.BackoffBase,
        BackoffCap = o.BackoffCap ?? defaults.BackoffCap,
        MaxIntegrityFailures = o.MaxIntegrityFailures ?? defaults.MaxIntegrityFailures,
        SwapAckTimeout = o.SwapAckTimeout ?? defaults.SwapAckTimeout,
        BootTimeout = o.BootTimeout ?? defaults.BootTimeout,
        HealthWindow = o.HealthWindow ?? defaults.HealthWindow,
        HealthReportDeadline = o.HealthReportDeadline ?? defaults.HealthReportDeadline,
        CommitTimeout = o.CommitTimeout ?? defaults.CommitTimeout,
        RollbackTimeout = o.RollbackTimeout ?? defaults.RollbackTimeout,
        ResendInterval = o.ResendInterval ?? defaults.ResendInterval,
        ResendIntervalCap = o.ResendIntervalCap ?? defaults.ResendIntervalCap,
    };
}
