namespace FleetOrchestrator.Server.Access;

/// <summary>
/// A page of the audit trail, newest first: records at or after <see cref="Since"/>, of <see cref="Actor"/>, of
/// <see cref="Action"/> (exact, or every action under it: <c>rollouts</c> matches <c>rollouts.pause</c>), older
/// than the record <see cref="Before"/> (the previous page's cursor), at most <see cref="Limit"/>.
/// </summary>
public sealed record AuditQuery(DateTimeOffset? Since, string? Actor, string? Action, long? Before, int Limit);
