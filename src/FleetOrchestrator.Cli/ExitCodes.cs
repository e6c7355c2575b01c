namespace FleetOrchestrator.Cli;

/// <summary>
/// Process exit codes shared by all `fleet` commands; scripts branch on these. docs/cli.md lists them and refers here.
/// </summary>
public static class ExitCodes
{
    public const int Success = 0;
    /// <summary>
    /// The command ran but the subject is bad: an invalid image, a manifest that does not verify; for the client
    /// verbs, the server refused the request (any HTTP error other than 401/403) or the watched rollout did not
    /// complete (halted, cancelled, rolled back).
    /// </summary>
    public const int Invalid = 1;
    /// <summary>The command could not run: bad arguments, missing or unreadable files, unusable keys, no server
    /// set.</summary>
    public const int UsageOrIoError = 2;
    /// <summary>The server could not be reached (connection, DNS, timeout) or did not accept the key (401,
    /// 403).</summary>
    public const int Unreachable = 3;
}
