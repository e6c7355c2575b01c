using System.Text.Json;
using FleetOrchestrator.Protocol.Messages;
using FleetOrchestrator.Protocol.Validation;

namespace FleetOrchestrator.Protocol.Codec;

/// <summary>
/// Builds message records from a parsed JSON object: envelope first (schema, then type), then the fields of that type.
/// Shape errors (wrong JSON type, bad format) are thrown from <see cref="JsonFields"/>; range and cross-field rules
/// are checked afterwards by <see cref="MessageRules"/>, the same rules the encoder enforces.
/// </summary>
internal static class MessageReader
{
    public static DeviceCommand ReadCommand(JsonElement root)
    {
        var f = new JsonFields(root, null);
        string type = ReadEnvelope(f, "device");
        string id = f.RequiredString("id");
        return type switch
        {
            WireNames.GetState => new GetState(id),
            WireNames.Download => ReadDownload(f, id),
            WireNames.Erase => new EraseStaged(id),
            WireNames.AuthorizeSwap => new AuthorizeSwap(id, f.RequiredVersion("version"), f.RequiredCrc("crc")),
            WireNames.Commit => new CommitImage(id, f.RequiredVersion("version")),
            WireNames.Rollback => new RollBack(id, f.RequiredString("reason")),
            _ => throw UnknownType(type, expected: "a command", WireNames.CommandTypes, other: WireNames.EventTypes, otherName: "an event"),
        };
    }

    public static DeviceEvent ReadEvent(JsonElement root)
    {
        var f = new JsonFields(root, null);
        string type = ReadEnvelope(f, "orchestrator");
        string? commandId = f.OptionalString("commandId");
        long seq = f.RequiredLong("seq");
        return type switch
        {
            WireNames.State => new StateReported(commandId, seq, ReadStateReport(f.RequiredObject("state"))),
            WireNames.Ack => new CommandAcknowledged(commandId!, seq, f.RequiredBool("accepted"), f.OptionalString("reason")),
            WireNames.Progress => new DownloadProgress(commandId!, seq, f.RequiredInt("bytesWritten"), f.RequiredInt("totalBytes")),
            WireNames.Staged => new ImageStaged(commandId!, seq, f.RequiredVersion("version"), f.RequiredInt("size"), f.RequiredCrc("crc")),
            WireNames.StagingFailed => new StagingFailed(commandId!, seq, f.RequiredString("reason"), f.OptionalString("detail") ?? "", f.OptionalInt("resumeOffset", 0)),
            WireNames.Booted => new DeviceBooted(commandId, seq, f.RequiredVersion("version"), f.RequiredBank("activeBank"),
                f.RequiredImageState("imageState"), f.RequiredResetCause("resetCause"), f.RequiredInt("trialBootCount")),
            WireNames.Health => new HealthReported(commandId, seq, f.RequiredBool("healthy"), f.OptionalString("detail")),
            WireNames.Committed => new ImageCommitted(commandId!, seq, f.RequiredVersion("version")),
            WireNames.RolledBack => new RolledBackOnDevice(commandId, seq, f.RequiredVersion("version"), f.RequiredString("reason")),
            _ => throw UnknownType(type, expected: "an event", WireNames.EventTypes, other: WireNames.CommandTypes, otherName: "a command"),
        };
    }

    public static DevicePresence ReadPresence(JsonElement root)
    {
        var f = new JsonFields(root, null);
        string type = ReadEnvelope(f, "orchestrator");
        if (type != WireNames.Presence)
            throw new ProtocolViolation(new ProtocolError(ProtocolErrorKind.UnknownType,
                $"type '{MessageRules.Truncate(type)}' is not allowed on the status topic (expected 'presence')", "type"));
        return new DevicePresence(f.RequiredBool("online"));
    }

    /// <summary>Checks schema before anything else, so that a future schema's unknown shapes are reported as what they are.</summary>
    private static string ReadEnvelope(JsonFields f, string self)
    {
        var schema = f.Required("schema");
        if (schema.ValueKind != JsonValueKind.Number || !schema.TryGetInt32(out int version))
            throw new ProtocolViolation(MessageRules.Invalid("schema", $"must be an integer, got {JsonFields.Describe(schema)}"));
        if (version != WireLimits.SchemaVersion)
            throw new ProtocolViolation(new ProtocolError(ProtocolErrorKind.UnsupportedSchema,
                $"schema {version} is not supported (this {self} speaks {WireLimits.SchemaVersion})", "schema"));
        return f.RequiredString("type");
    }

    private static StartDownload ReadDownload(JsonFields f, string id)
    {
        var m = f.RequiredObject("manifest");
        var manifest = new SignedManifestDto(m.RequiredString("manifest"), m.RequiredString("signature"), m.RequiredString("keyId"));
        return new StartDownload(id, manifest, f.RequiredString("url"), f.OptionalInt("resumeOffset", 0));
    }

    private static DeviceStateReport ReadStateReport(JsonFields s)
    {
        var hw = s.RequiredObject("hardware");
        var hardware = new HardwareInfo(
            hw.RequiredString("target"),
            hw.RequiredInt("flashSizeKb"),
            hw.RequiredString("romBootloader"),
            hw.RequiredString("siliconRevision"),
            hw.RequiredInt("rdpLevel"),
            hw.RequiredVersion("bootloaderVersion"));
        return new DeviceStateReport(
            s.RequiredVersion("runningVersion"),
            s.RequiredBank("activeBank"),
            s.RequiredBool("bfb2"),
            s.RequiredImageState("imageState"),
            s.RequiredResetCause("lastResetCause"),
            hardware,
            s.RequiredCrc("activeImageCrc"),
            s.OptionalVersion("stagedVersion"),
            s.OptionalTrialHealth("health"),
            ReadInactiveBank(s));
    }

    private static InactiveBankImage? ReadInactiveBank(JsonFields s)
    {
        if (!s.TryGet("inactiveBank", out _)) return null;
        var bank = s.RequiredObject("inactiveBank");
        return new InactiveBankImage(
            bank.RequiredVersion("version"), bank.RequiredInt("size"), bank.RequiredCrc("crc"),
            bank.RequiredBool("intact"));
    }

    private static ProtocolViolation UnknownType(string type, string expected, IReadOnlyList<string> known, IReadOnlyList<string> other, string otherName)
    {
        string shown = MessageRules.Truncate(type);
        string message = other.Contains(type)
            ? $"type '{shown}' is {otherName}, not {expected}"
            : $"unknown type '{shown}' ({expected} is one of: {string.Join(", ", known)})";
        return new ProtocolViolation(new ProtocolError(ProtocolErrorKind.UnknownType, message, "type"));
    }
}
