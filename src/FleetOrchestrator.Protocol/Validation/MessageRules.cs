using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.Protocol.Codec;
using FleetOrchestrator.Protocol.Messages;

namespace FleetOrchestrator.Protocol.Validation;

/// <summary>
/// The semantic rules of every message (ranges, id formats, cross-field rules), as one function per message family.
/// The decoder runs them on every message it builds and the encoder refuses to send a message that breaks them, so
/// both ends of the wire enforce exactly the same contract. Field names in errors are the wire (JSON) names.
/// </summary>
public static class MessageRules
{
    /// <summary>Null when <paramref name="command"/> may be sent; otherwise the first rule it breaks.</summary>
    public static ProtocolError? Check(DeviceCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return CommandId(command.Id, "id") ?? command switch
        {
            GetState or EraseStaged => null,
            StartDownload d => Manifest(d.Manifest, "manifest") ?? Url(d.Url, "url") ?? Range(d.ResumeOffset, 0, WireLimits.MaxImageSize, "resumeOffset"),
            AuthorizeSwap a => Version(a.Version, "version"),
            CommitImage c => Version(c.Version, "version"),
            RollBack r => Reason(r.Reason, "reason"),
            _ => new ProtocolError(ProtocolErrorKind.UnknownType, $"{command.GetType().Name} is not a command of protocol schema {WireLimits.SchemaVersion}"),
        };
    }

    /// <summary>Null when <paramref name="evt"/> may be sent; otherwise the first rule it breaks.</summary>
    public static ProtocolError? Check(DeviceEvent evt)
    {
        ArgumentNullException.ThrowIfNull(evt);
        var common = RangeLong(evt.Sequence, 0, WireLimits.MaxSequence, "seq")
            ?? (evt.CommandId is null ? null : CommandId(evt.CommandId, "commandId"));
        if (common is not null) return common;
        return evt switch
        {
            StateReported s => s.State is null ? Missing("state") : StateReport(s.State, "state"),
            CommandAcknowledged a => RequiredCommandId(a.CommandId) ?? AckReason(a),
            DownloadProgress p => RequiredCommandId(p.CommandId)
                ?? Range(p.TotalBytes, 1, WireLimits.MaxImageSize, "totalBytes")
                ?? Range(p.BytesWritten, 0, p.TotalBytes, "bytesWritten", "totalBytes"),
            ImageStaged s => RequiredCommandId(s.CommandId) ?? Version(s.Version, "version") ?? Range(s.Size, 1, WireLimits.MaxImageSize, "size"),
            StagingFailed f => RequiredCommandId(f.CommandId) ?? Reason(f.Reason, "reason") ?? Detail(f.Detail, "detail", required: true)
                ?? Range(f.ResumeOffset, 0, WireLimits.MaxImageSize, "resumeOffset"),
            DeviceBooted b => Version(b.Version, "version") ?? Bank(b.ActiveBank, "activeBank") ?? Defined(b.ImageState, "imageState")
                ?? Defined(b.ResetCause, "resetCause") ?? Range(b.TrialBootCount, 0, WireLimits.MaxTrialBootCount, "trialBootCount"),
            HealthReported h => Detail(h.Detail, "detail", required: false),
            ImageCommitted c => RequiredCommandId(c.CommandId) ?? Version(c.Version, "version"),
            RolledBackOnDevice r => Version(r.Version, "version") ?? Reason(r.Reason, "reason"),
            _ => new ProtocolError(ProtocolErrorKind.UnknownType, $"{evt.GetType().Name} is not an event of protocol schema {WireLimits.SchemaVersion}"),
        };
    }

    /// <summary>Null when the manifest envelope is well-formed (it says nothing about whether the signature verifies).</summary>
    public static ProtocolError? Manifest(SignedManifestDto? manifest, string path)
    {
        if (manifest is null) return Missing(path);
        var m = Base64(manifest.ManifestBase64, $"{path}.manifest", WireLimits.MaxManifestBase64Length, out int manifestBytes);
        if (m is not null) return m;
        if (manifestBytes == 0) return Invalid($"{path}.manifest", "must not be empty");
        var s = Base64(manifest.SignatureBase64, $"{path}.signature", 128, out int signatureBytes);
        if (s is not null) return s;
        if (signatureBytes != WireLimits.SignatureBytes)
            return Invalid($"{path}.signature", $"must be a {WireLimits.SignatureBytes}-byte ECDSA P-256 signature (r||s) in base64, got {signatureBytes} bytes");
        if (manifest.KeyId is null) return Missing($"{path}.keyId");
        var k = WireIdentifiers.DescribeKeyIdProblem(manifest.KeyId);
        return k is null ? null : Invalid($"{path}.keyId", k);
    }

    /// <summary>Null when the state report is well-formed.</summary>
    public static ProtocolError? StateReport(DeviceStateReport report, string path)
    {
        ArgumentNullException.ThrowIfNull(report);
        return Version(report.RunningVersion, $"{path}.runningVersion")
            ?? Bank(report.ActiveBank, $"{path}.activeBank")
            ?? Defined(report.ImageState, $"{path}.imageState")
            ?? Defined(report.LastResetCause, $"{path}.lastResetCause")
            ?? (report.StagedVersion is { } staged ? Version(staged, $"{path}.stagedVersion") : null)
            ?? (report.Health is { } health ? Defined(health, $"{path}.health") : null)
            ?? (report.InactiveBank is { } inactive
                ? Version(inactive.Version, $"{path}.inactiveBank.version")
                  ?? Range(inactive.Size, 1, WireLimits.MaxImageSize, $"{path}.inactiveBank.size")
                : null)
            ?? Hardware(report.Hardware, $"{path}.hardware");
    }

    private static ProtocolError? Hardware(HardwareInfo? hw, string path)
    {
        if (hw is null) return Missing(path);
        return Target(hw.Target, $"{path}.target")
            ?? Range(hw.FlashSizeKb, 1, WireLimits.MaxFlashSizeKb, $"{path}.flashSizeKb")
            ?? RomVersion(hw.RomBootloader, $"{path}.romBootloader")
            ?? SiliconRevision(hw.SiliconRevision, $"{path}.siliconRevision")
            ?? Range(hw.RdpLevel, 0, WireLimits.MaxRdpLevel, $"{path}.rdpLevel")
            ?? Version(hw.BootloaderVersion, $"{path}.bootloaderVersion");
    }

    private static ProtocolError? RequiredCommandId(string? id) => id is null ? Missing("commandId") : null;

    private static ProtocolError? AckReason(CommandAcknowledged a)
    {
        if (a.Accepted)
            return a.Reason is null ? null : Invalid("reason", "must be absent when accepted is true (a reason explains a refusal)");
        return a.Reason is null ? new ProtocolError(ProtocolErrorKind.MissingField, "field 'reason' is required when accepted is false", "reason") : Reason(a.Reason, "reason");
    }

    private static ProtocolError? CommandId(string? id, string field)
    {
        if (id is null) return Missing(field);
        var p = WireIdentifiers.DescribeCommandIdProblem(id);
        return p is null ? null : Invalid(field, $"must be a command id ([A-Za-z0-9_.:-]{{1,{WireIdentifiers.MaxCommandIdLength}}}): it {p}");
    }

    private static ProtocolError? Reason(string? reason, string field)
    {
        if (reason is null) return Missing(field);
        var p = WireIdentifiers.DescribeReasonProblem(reason);
        return p is null ? null : Invalid(field, $"must be a reason token like 'boot-guard': it {p}");
    }

    private static ProtocolError? Detail(string? detail, string field, bool required)
    {
        if (detail is null) return required ? Missing(field) : null;
        if (detail.Length > WireLimits.MaxDetailLength) return Invalid(field, $"must be at most {WireLimits.MaxDetailLength} characters, got {detail.Length}");
        foreach (char c in detail)
            if (char.IsControl(c)) return Invalid(field, $"must not contain control characters (found '{WireIdentifiers.Printable(c)}')");
        return null;
    }

    private static ProtocolError? Url(string? url, string field)
    {
        if (url is null) return Missing(field);
        if (url.Length > WireLimits.MaxUrlLength) return Invalid(field, $"must be at most {WireLimits.MaxUrlLength} characters, got {url.Length}");
        foreach (char c in url)
            if (c <= ' ' || c > '~') return Invalid(field, $"must be an absolute http(s) URL of printable ASCII without spaces (found '{WireIdentifiers.Printable(c)}')");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || string.IsNullOrEmpty(uri.Host))
            return Invalid(field, $"must be an absolute http:// or https:// URL, got '{Truncate(url)}'");
        if (!string.IsNullOrEmpty(uri.UserInfo))
            return Invalid(field, "must not carry credentials (the device authenticates with HTTP Basic, PROTOCOL.md §5)");
        return null;
    }

    private static ProtocolError? Target(string? target, string field)
    {
        if (target is null) return Missing(field);
        var p = WireIdentifiers.DescribeHardwareTargetProblem(target);
        return p is null ? null : Invalid(field, p);
    }

    private static ProtocolError? RomVersion(string? rom, string field)
    {
        if (rom is null) return Missing(field);
        int dot = rom.IndexOf('.', StringComparison.Ordinal);
        bool ok = dot is > 0 and <= 2 && rom.Length - dot - 1 is > 0 and <= 2 && AllDigits(rom.AsSpan(0, dot)) && AllDigits(rom.AsSpan(dot + 1));
        return ok ? null : Invalid(field, $"must be a ROM bootloader version like '4.1', got '{Truncate(rom)}'");
    }

    private static ProtocolError? SiliconRevision(string? rev, string field)
    {
        if (rev is null) return Missing(field);
        bool ok = rev.Length is 1 or 2;
        foreach (char c in rev) ok &= char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c);
        return ok ? null : Invalid(field, $"must be a silicon revision like 'Z' (1-2 of A-Z 0-9), got '{Truncate(rev)}'");
    }

    private static ProtocolError? Version(SemanticVersion v, string field) =>
        v.Major is >= 0 and <= 999_999_999 && v.Minor is >= 0 and <= 999_999_999 && v.Patch is >= 0 and <= 999_999_999
            ? null
            : Invalid(field, $"must be a version major.minor.patch with non-negative parts, got {v.Major}.{v.Minor}.{v.Patch}");

    private static ProtocolError? Bank(BankId bank, string field) =>
        bank is BankId.Bank1 or BankId.Bank2 ? null : Invalid(field, $"must be 1 or 2, got {(int)bank}");

    private static ProtocolError? Defined<TEnum>(TEnum value, string field) where TEnum : struct, Enum =>
        Enum.IsDefined(value) ? null : Invalid(field, $"has no wire spelling for {value}");

    private static ProtocolError? Range(int value, int min, int max, string field, string? maxName = null) =>
        value >= min && value <= max ? null
            : Invalid(field, maxName is null ? $"must be {min}..{max}, got {value}" : $"must be {min}..{maxName} ({max}), got {value}");

    private static ProtocolError? RangeLong(long value, long min, long max, string field) =>
        value >= min && value <= max ? null : Invalid(field, $"must be {min}..{max}, got {value}");

    private static ProtocolError? Base64(string? text, string field, int maxLength, out int decodedBytes)
    {
        decodedBytes = 0;
        if (text is null) return Missing(field);
        if (text.Length > maxLength) return Invalid(field, $"must be at most {maxLength} base64 characters, got {text.Length}");
        if (!StrictBase64.TryGetDecodedLength(text, out decodedBytes))
            return Invalid(field, "must be standard base64 (A-Z a-z 0-9 + /, padded with '=', no whitespace)");
        return null;
    }

    private static bool AllDigits(ReadOnlySpan<char> s)
    {
        foreach (char c in s) if (!char.IsAsciiDigit(c)) return false;
        return !s.IsEmpty;
    }

    internal static ProtocolError Missing(string field) => new(ProtocolErrorKind.MissingField, $"field '{field}' is required", field);

    internal static ProtocolError Invalid(string field, string rule) => new(ProtocolErrorKind.InvalidField, $"field '{field}' {rule}", field);

    internal static string Truncate(string s) => s.Length <= 40 ? LogSafe(s) : LogSafe(s[..40]) + "…";

    /// <summary>Text with control characters and lone surrogates escaped as \uXXXX, safe to write to a log line.</summary>
    internal static string LogSafe(string s)
    {
        foreach (char c in s)
            if (char.IsControl(c) || char.IsSurrogate(c)) return string.Concat(s.Select(WireIdentifiers.Printable));
        return s;
    }
}
