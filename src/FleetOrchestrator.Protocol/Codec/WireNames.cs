using FleetOrchestrator.Protocol.Messages;

namespace FleetOrchestrator.Protocol.Codec;

/// <summary>
/// Spellings on the wire: the <c>type</c> discriminators and the enum values. Discriminators are camelCase,
/// enum values kebab-case, banks are the numbers 1 and 2 (as in the reference manual).
/// </summary>
public static class WireNames
{
    // Commands (orchestrator → device, topic …/cmd).
    public const string GetState = "getState";
    public const string Download = "download";
    public const string Erase = "erase";
    public const string AuthorizeSwap = "authorizeSwap";
    public const string Commit = "commit";
    public const string Rollback = "rollback";

    // Events (device → orchestrator, topics …/evt and …/state).
    public const string State = "state";
    public const string Ack = "ack";
    public const string Progress = "progress";
    public const string Staged = "staged";
    public const string StagingFailed = "stagingFailed";
    public const string Booted = "booted";
    public const string Health = "health";
    public const string Committed = "committed";
    public const string RolledBack = "rolledBack";

    // Presence (device → orchestrator, topic …/status, retained; also the last will).
    public const string Presence = "presence";

    public static readonly IReadOnlyList<string> CommandTypes = [GetState, Download, Erase, AuthorizeSwap, Commit, Rollback];
    public static readonly IReadOnlyList<string> EventTypes = [State, Ack, Progress, Staged, StagingFailed, Booted, Health, Committed, RolledBack];

    public static string TypeOf(DeviceCommand command) => command switch
    {
        Messages.GetState => GetState,
        StartDownload => Download,
        EraseStaged => Erase,
        Messages.AuthorizeSwap => AuthorizeSwap,
        CommitImage => Commit,
        RollBack => Rollback,
        _ => throw new ArgumentException($"{command.GetType().Name} has no wire type", nameof(command)),
    };

    public static string TypeOf(DeviceEvent evt) => evt switch
    {
        StateReported => State,
        CommandAcknowledged => Ack,
        DownloadProgress => Progress,
        ImageStaged => Staged,
        Messages.StagingFailed => StagingFailed,
        DeviceBooted => Booted,
        HealthReported => Health,
        ImageCommitted => Committed,
        RolledBackOnDevice => RolledBack,
        _ => throw new ArgumentException($"{evt.GetType().Name} has no wire type", nameof(evt)),
    };

    public static string Of(ImageState state) => state switch
    {
        ImageState.Committed => "committed",
        ImageState.Trial => "trial",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "not an image state"),
    };

    public static bool TryParseImageState(string text, out ImageState state)
    {
        switch (text)
        {
            case "committed": state = ImageState.Committed; return true;
            case "trial": state = ImageState.Trial; return true;
            default: state = default; return false;
        }
    }

    public static readonly IReadOnlyList<string> ImageStates = ["committed", "trial"];

    public static string Of(TrialHealth health) => health switch
    {
        TrialHealth.Pending => "pending",
        TrialHealth.Passed => "passed",
        TrialHealth.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(health), health, "not a trial health verdict"),
    };

    public static bool TryParseTrialHealth(string text, out TrialHealth health)
    {
        switch (text)
        {
            case "pending": health = TrialHealth.Pending; return true;
            case "passed": health = TrialHealth.Passed; return true;
            case "failed": health = TrialHealth.Failed; return true;
            default: health = default; return false;
        }
    }

    public static readonly IReadOnlyList<string> TrialHealths = ["pending", "passed", "failed"];

    public static string Of(ResetCause cause) => cause switch
    {
        ResetCause.PowerOn => "power-on",
        ResetCause.Pin => "pin",
        ResetCause.Software => "software",
        ResetCause.OptionByteLoad => "option-byte-load",
        ResetCause.IndependentWatchdog => "independent-watchdog",
        ResetCause.WindowWatchdog => "window-watchdog",
        ResetCause.LowPower => "low-power",
        ResetCause.Firewall => "firewall",
        _ => throw new ArgumentOutOfRangeException(nameof(cause), cause, "not a reset cause"),
    };

    public static readonly IReadOnlyList<string> ResetCauses =
        ["power-on", "pin", "software", "option-byte-load", "independent-watchdog", "window-watchdog", "low-power", "firewall"];

    public static bool TryParseResetCause(string text, out ResetCause cause)
    {
        int i = IndexOf(ResetCauses, text);
        cause = i < 0 ? default : ResetCauseValues[i];
        return i >= 0;
    }

    // Same order as ResetCauses: the enum's numeric values are not part of the wire contract.
    private static readonly ResetCause[] ResetCauseValues =
    [
        ResetCause.PowerOn, ResetCause.Pin, ResetCause.Software, ResetCause.OptionByteLoad,
        ResetCause.IndependentWatchdog, ResetCause.WindowWatchdog, ResetCause.LowPower, ResetCause.Firewall,
    ];

    private static int IndexOf(IReadOnlyList<string> names, string text)
    {
        for (int i = 0; i < names.Count; i++)
            if (string.Equals(names[i], text, StringComparison.Ordinal)) return i;
        return -1;
    }
}
