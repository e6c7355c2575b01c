namespace FleetOrchestrator.Protocol.Messages;

/// <summary>
/// The trial image's self-test verdict as the device's state report carries it (<c>health</c>, PROTOCOL.md §6.3):
/// present only while the running image is on trial, so a verdict published while nobody listened is not lost.
/// </summary>
public enum TrialHealth
{
    /// <summary>The self-test has not finished yet.</summary>
    Pending,
    Passed,
    Failed,
}
