namespace FleetOrchestrator.Protocol.Messages;

/// <summary>
/// The reason vocabulary (PROTOCOL.md §8). Reasons are kebab-case tokens. A device uses exactly these; a receiver that
/// meets a reason it does not know treats it as the generic failure of that message (it still decodes: a new reason in a
/// future firmware must not make its failure reports vanish).
/// </summary>
public static class ErrorReasons
{
    // StagingFailed.Reason: why an image did not get staged.
    /// <summary>HTTP transfer failed or stalled; <c>resumeOffset</c> says where to resume.</summary>
    public const string Download = "download";
    /// <summary>The manifest signature does not verify with any trusted key, or the key id is unknown.</summary>
    public const string Signature = "signature";
    /// <summary>The manifest verified but its content is malformed or has an unsupported manifest schema.</summary>
    public const string Manifest = "manifest";
    /// <summary>SHA-256 or the CRC unit's result over the written bank does not match the manifest.</summary>
    public const string Integrity = "integrity";
    /// <summary>The image is larger than this device's bank.</summary>
    public const string TooLarge = "too-large";
    /// <summary>The manifest targets other hardware.</summary>
    public const string Hardware = "hardware";
    /// <summary>The manifest's version is not newer than the running one and the manifest does not allow downgrade.</summary>
    public const string Downgrade = "downgrade";
    /// <summary>Erase or program of the inactive bank reported an error (e.g. NOTZEROERR, FWWERR, WRPERR).</summary>
    public const string Flash = "flash";

    // CommandAcknowledged.Reason (Accepted = false), besides the staging reasons above where they apply.
    /// <summary>Another update step is in progress that this command would conflict with.</summary>
    public const string Busy = "busy";
    /// <summary>authorizeSwap, but no verified image is staged.</summary>
    public const string NotStaged = "not-staged";
    /// <summary>The command's version is not the staged (authorizeSwap) or running trial (commit) version.</summary>
    public const string VersionMismatch = "version-mismatch";
    /// <summary>authorizeSwap's expected CRC differs from the CRC the device computed over the staged image.</summary>
    public const string CrcMismatch = "crc-mismatch";
    /// <summary>commit, but the running image is not on trial.</summary>
    public const string NotTrial = "not-trial";
    /// <summary>rollback, but the other bank holds no bootable image.</summary>
    public const string NoPreviousImage = "no-previous-image";
    /// <summary>
    /// download while the running image is on trial (not committed): the inactive bank holds the fallback image, so it
    /// cannot take a new one until the trial is committed or rolled back (PROTOCOL.md §8.2).
    /// </summary>
    public const string TrialPending = "trial-pending";
    /// <summary>The option bytes cannot be changed (RDP level 2) or the ROM bootloader cannot dual-bank boot.</summary>
    public const string Unsupported = "unsupported";
    /// <summary>The command had a readable id but failed validation; the device answers so that the sender learns why.</summary>
    public const string Malformed = "malformed";

    // RolledBackOnDevice.Reason.
    /// <summary>The device's boot guard reverted on its own (trial boot count exhausted, IWDG resets).</summary>
    public const string BootGuard = "boot-guard";
    /// <summary>The device rolled back because the orchestrator sent <c>rollback</c>.</summary>
    public const string Command = "command";

    /// <summary>Reasons a device may put in <c>stagingFailed</c>.</summary>
    public static readonly IReadOnlySet<string> StagingFailureReasons =
        new HashSet<string>(StringComparer.Ordinal) { Download, Signature, Manifest, Integrity, TooLarge, Hardware, Downgrade, Flash };

    /// <summary>Reasons a device may put in a refused <c>ack</c>.</summary>
    public static readonly IReadOnlySet<string> RefusalReasons =
        new HashSet<string>(StringComparer.Ordinal)
        {
            Busy, TrialPending, NotStaged, VersionMismatch, CrcMismatch, NotTrial, NoPreviousImage, Unsupported,
            Malformed,
            Signature, Manifest, TooLarge, Hardware, Downgrade,
        };

    /// <summary>Reasons a device may put in <c>rolledBack</c>.</summary>
    public static readonly IReadOnlySet<string> RollbackReasons = new HashSet<string>(StringComparer.Ordinal) { BootGuard, Command };
}
