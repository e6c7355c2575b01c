namespace FleetOrchestrator.Server.Api;

/// <summary><see cref="Created"/> is false when the same image was uploaded before: nothing new was stored.</summary>
public sealed record UploadResponse(bool Created, ArtifactView Artifact);
