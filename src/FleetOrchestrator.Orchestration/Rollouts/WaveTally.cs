namespace FleetOrchestrator.Orchestration.Rollouts;

/// <summary>
/// A wave's counts, kept by <see cref="RolloutState.Apply"/> so the gate is judged without scanning the wave.
/// <see cref="Failed"/> counts the outcomes of the wave's gate's CountAsFailure and the reverts after a commit;
/// <see cref="Neutral"/> counts finished devices that are neither (Incompatible, UpToDate, refused starts, ...).
/// </summary>
public sealed record WaveTally(
    int Commanded,
    int Activated,
    int Finished,
    int Updated,
    int Failed,
    int Neutral,
    DateTimeOffset? LastSuccessAt)
{
    public static readonly WaveTally Empty = new(0, 0, 0, 0, 0, 0, null);

    /// <summary>Finished devices that count for the gate (Updated or a failure): both shares' denominator.</summary>
    public int Decisive => Updated + Failed;
}
