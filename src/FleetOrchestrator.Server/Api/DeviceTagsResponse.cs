namespace FleetOrchestrator.Server.Api;

/// <summary>A device's tags after <c>PUT /api/devices/{id}/tags</c>.</summary>
public sealed record DeviceTagsResponse(string DeviceId, IReadOnlyDictionary<string, string> Tags);
