using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.Protocol.Messages;
using FleetOrchestrator.Protocol.Validation;

namespace FleetOrchestrator.Protocol.Codec;

/// <summary>
/// Writes messages with <see cref="Utf8JsonWriter"/> by hand: fixed field order (schema, type, id/commandId, seq, then the
/// message's own fields), absent instead of null for optional fields, no reflection.
/// </summary>
internal static class MessageWriter
{
    // Base64 contains '+' and '/', which the default encoder would escape as \u002B; payloads are never embedded in HTML.
    internal static readonly JsonWriterOptions Options = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    public static void Write(Utf8JsonWriter w, DeviceCommand command)
    {
        w.WriteStartObject();
        w.WriteNumber("schema"u8, WireLimits.SchemaVersion);
        w.WriteString("type"u8, WireNames.TypeOf(command));
        w.WriteString("id"u8, command.Id);
        switch (command)
        {
            case StartDownload d:
                w.WriteString("url"u8, d.Url);
                w.WriteNumber("resumeOffset"u8, d.ResumeOffset);
                w.WriteStartObject("manifest"u8);
                w.WriteString("manifest"u8, d.Manifest.ManifestBase64);
                w.WriteString("signature"u8, d.Manifest.SignatureBase64);
                w.WriteString("keyId"u8, d.Manifest.KeyId);
                w.WriteEndObject();
                break;
            case AuthorizeSwap a:
                WriteVersion(w, "version"u8, a.Version);
                WriteCrc(w, "crc"u8, a.ExpectedCrc);
                break;
            case CommitImage c:
                WriteVersion(w, "version"u8, c.Version);
                break;
            case RollBack r:
                w.WriteString("reason"u8, r.Reason);
                break;
        }
        w.WriteEndObject();
    }

    public static void Write(Utf8JsonWriter w, DeviceEvent evt)
    {
        w.WriteStartObject();
        w.WriteNumber("schema"u8, WireLimits.SchemaVersion);
        w.WriteString("type"u8, WireNames.TypeOf(evt));
        if (evt.CommandId is not null) w.WriteString("commandId"u8, evt.CommandId);
        w.WriteNumber("seq"u8, evt.Sequence);
        switch (evt)
        {
            case StateReported s:
                WriteStateReport(w, s.State);
                break;
            case CommandAcknowledged a:
                w.WriteBoolean("accepted"u8, a.Accepted);
                if (a.Reason is not null) w.WriteString("reason"u8, a.Reason);
                break;
            case DownloadProgress p:
                w.WriteNumber("bytesWritten"u8, p.BytesWritten);
                w.WriteNumber("totalBytes"u8, p.TotalBytes);
                break;
            case ImageStaged s:
                WriteVersion(w, "version"u8, s.Version);
                w.WriteNumber("size"u8, s.Size);
                WriteCrc(w, "crc"u8, s.Crc);
                break;
            case StagingFailed f:
                w.WriteString("reason"u8, f.Reason);
                w.WriteString("detail"u8, f.Detail);
                w.WriteNumber("resumeOffset"u8, f.ResumeOffset);
                break;
            case DeviceBooted b:
                WriteVersion(w, "version"u8, b.Version);
                w.WriteNumber("activeBank"u8, (int)b.ActiveBank);
                w.WriteString("imageState"u8, WireNames.Of(b.ImageState));
                w.WriteString("resetCause"u8, WireNames.Of(b.ResetCause));
                w.WriteNumber("trialBootCount"u8, b.TrialBootCount);
                break;
            case HealthReported h:
                w.WriteBoolean("healthy"u8, h.Healthy);
                if (h.Detail is not null) w.WriteString("detail"u8, h.Detail);
                break;
            case ImageCommitted c:
                WriteVersion(w, "version"u8, c.Version);
                break;
            case RolledBackOnDevice r:
                WriteVersion(w, "version"u8, r.Version);
                w.WriteString("reason"u8, r.Reason);
                break;
        }
        w.WriteEndObject();
    }

    public static void Write(Utf8JsonWriter w, DevicePresence presence)
    {
        w.WriteStartObject();
        w.WriteNumber("schema"u8, WireLimits.SchemaVersion);
        w.WriteString("type"u8, WireNames.Presence);
        w.WriteBoolean("online"u8, presence.Online);
        w.WriteEndObject();
    }

    private static void WriteStateReport(Utf8JsonWriter w, DeviceStateReport s)
    {
        w.WriteStartObject("state"u8);
        WriteVersion(w, "runningVersion"u8, s.RunningVersion);
        w.WriteNumber("activeBank"u8, (int)s.ActiveBank);
        w.WriteBoolean("bfb2"u8, s.Bfb2);
        w.WriteString("imageState"u8, WireNames.Of(s.ImageState));
        w.WriteString("lastResetCause"u8, WireNames.Of(s.LastResetCause));
        WriteCrc(w, "activeImageCrc"u8, s.ActiveImageCrc);
        if (s.StagedVersion is { } staged) WriteVersion(w, "stagedVersion"u8, staged);
        if (s.Health is { } health) w.WriteString("health"u8, WireNames.Of(health));
        if (s.InactiveBank is { } inactive)
        {
            w.WriteStartObject("inactiveBank"u8);
            WriteVersion(w, "version"u8, inactive.Version);
            w.WriteNumber("size"u8, inactive.Size);
            WriteCrc(w, "crc"u8, inactive.Crc);
            w.WriteBoolean("intact"u8, inactive.Intact);
            w.WriteEndObject();
        }
        w.WriteStartObject("hardware"u8);
        w.WriteString("target"u8, s.Hardware.Target);
        w.WriteNumber("flashSizeKb"u8, s.Hardware.FlashSizeKb);
        w.WriteString("romBootloader"u8, s.Hardware.RomBootloader);
        w.WriteString("siliconRevision"u8, s.Hardware.SiliconRevision);
        w.WriteNumber("rdpLevel"u8, s.Hardware.RdpLevel);
        WriteVersion(w, "bootloaderVersion"u8, s.Hardware.BootloaderVersion);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteVersion(Utf8JsonWriter w, ReadOnlySpan<byte> name, SemanticVersion v)
    {
        Span<char> text = stackalloc char[32];
        bool ok = text.TryWrite(CultureInfo.InvariantCulture, $"{v.Major}.{v.Minor}.{v.Patch}", out int written);
        System.Diagnostics.Debug.Assert(ok, "three validated int parts fit in 32 characters");
        w.WriteString(name, text[..written]);
    }

    /// <summary>CRCs travel as "0x%08X": JSON numbers above 2^31 are where implementations start to disagree.</summary>
    internal static void WriteCrc(Utf8JsonWriter w, ReadOnlySpan<byte> name, uint crc)
    {
        Span<char> text = stackalloc char[10];
        text[0] = '0';
        text[1] = 'x';
        crc.TryFormat(text[2..], out _, "X8", CultureInfo.InvariantCulture);
        w.WriteString(name, text);
    }
}
