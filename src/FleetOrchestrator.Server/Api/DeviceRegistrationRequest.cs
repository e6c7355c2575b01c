namespace FleetOrchestrator.Server.Api;

/// <summary>Body of <c>POST /api/devices</c>.</summary>
public sealed record DeviceRegistrationRequest(string? DeviceId);
