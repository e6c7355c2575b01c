namespace FleetOrchestrator.Server.Api.Access;

/// <summary>The body of <c>POST /api/keys</c>: <c>{"name": "ci-bot", "role": "operator"}</c>.</summary>
public sealed record ApiKeyRequest(string? Name, string? Role);
