namespace FleetOrchestrator.Server.Api.Access;

/// <summary>The answer of <c>GET /api/me</c>: who the presented key signs in as.</summary>
public sealed record SignedInKey(string Name, string Role, string KeyId);
