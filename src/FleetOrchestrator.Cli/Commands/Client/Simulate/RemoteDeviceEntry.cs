namespace FleetOrchestrator.Cli.Commands.Client.Simulate;

/// <summary>One device of the run's rollout as GET /api/rollouts/{id}/devices gives it.</summary>
internal sealed record RemoteDeviceEntry(int Wave, string Step, string? Outcome, string? Reason,
    DateTimeOffset? FinishedAt, string? RollbackOutcome);
