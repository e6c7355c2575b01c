namespace FleetOrchestrator.Server.Api;

/// <summary>
/// One persisted step of a device's update saga, as the operator reads it.
/// <see cref="Event"/> is the saga event's name (e.g. "DownloadCommanded", "ImageStagedVerified").
/// </summary>
public sealed record SagaHistoryEntry(
    DateTimeOffset At,
    string SagaId,
    string Event,
    string? ArtifactId,
    string? Detail);
