namespace FleetOrchestrator.Cli;

/// <summary>Process exit codes shared by all `fleet` commands; scripts branch on these.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    /// <summary>The command ran but the subject is bad: an invalid image, a manifest that does not verify.</summary>
    public const int Invalid = 1;
    /// <summary>The command could not run: bad arguments, missing or unreadable files, unusable keys.</summary>
    public const int UsageOrIoError = 2;
}
