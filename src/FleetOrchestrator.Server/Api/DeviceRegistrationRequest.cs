namespace FleetOrchestrator.Server.Api;

/// <summary>Body of <c>POST /api/devices</c>; <see cref="Tags"/> (optional) as <see cref="DeviceTagRules"/> allow.
/// </summary>
public sealed record DeviceRegistrationRequest(string? DeviceId, Dictionary<string, string?>? Tags = null);
