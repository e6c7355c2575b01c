namespace FleetOrchestrator.L072.Sweep;

/// <summary>Cut runs finished so far out of the total (reported from worker threads).</summary>
public readonly record struct SweepProgress(long Done, long Total);
