namespace FleetOrchestrator.Server.Access;

/// <summary>
/// One entry of the audit trail: who (the key's name, or what a failed sign-in claimed), with which role, did what
/// (<see cref="Action"/>, e.g. <c>rollouts.pause</c> or <c>sign-in</c>) to what (<see cref="Target"/>, the resource's
/// path), when, from where (the remote address), and how it ended (<see cref="Outcome"/> <c>ok</c>, <c>refused</c>
/// or <c>failed</c>, with the HTTP <see cref="Status"/>). <see cref="Detail"/> is the refusal's problem or a note.
/// </summary>
public sealed record AuditRecord(
    DateTimeOffset At,
    string Actor,
    string? Role,
    string Action,
    string Target,
    string From,
    string Outcome,
    int Status,
    string? Detail)
{
    public const string Ok = "ok";
    public const string Refused = "refused";
    public const string Failed = "failed";

    /// <summary>The actor of a request that presented no credentials.</summary>
    public const string Anonymous = "(anonymous)";

    /// <summary>The actor of what the server does by itself (<see cref="AuditRetention"/>).</summary>
    public const string Server = "(server)";

    public static string OutcomeOf(int status) => status switch
    {
        < 400 => Ok,
        < 500 => Refused,
        _ => Failed,
    };
}
