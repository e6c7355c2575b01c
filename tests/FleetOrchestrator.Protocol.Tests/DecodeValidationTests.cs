using System.Text;
using FleetOrchestrator.Protocol.Codec;
using FleetOrchestrator.Protocol.Validation;

namespace FleetOrchestrator.Protocol.Tests;

/// <summary>Every rule the decoder enforces, one broken payload each, with the error it must produce.</summary>
public class DecodeValidationTests
{
    private const string Sig64 = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+Pw==";
    private const string Manifest = "{\"manifest\":\"eyJzaXplIjo2MTQ0MH0=\",\"signature\":\"" + Sig64 + "\",\"keyId\":\"k-1\"}";
    private const string Download = "{\"schema\":1,\"type\":\"download\",\"id\":\"c-1\",\"url\":\"https://h.example/fw.bin\",\"resumeOffset\":0,\"manifest\":" + Manifest + "}";
    private const string Staged = """{"schema":1,"type":"staged","commandId":"c-1","seq":12,"version":"1.1.0","size":98304,"crc":"0x1234ABCD"}""";
    private const string Hw = """{"target":"stm32l072cz","flashSizeKb":192,"romBootloader":"4.1","siliconRevision":"Z","rdpLevel":1,"bootloaderVersion":"1.0.0"}""";
    private const string State = "{\"schema\":1,\"type\":\"state\",\"seq\":1,\"state\":{\"runningVersion\":\"1.0.0\",\"activeBank\":1,\"bfb2\":false,\"imageState\":\"committed\",\"lastResetCause\":\"power-on\",\"activeImageCrc\":\"0x6A3F19C2\",\"hardware\":" + Hw + "}}";
    private const string Booted = """{"schema":1,"type":"booted","seq":5,"version":"1.1.0","activeBank":2,"imageState":"trial","resetCause":"option-byte-load","trialBootCount":1}""";

    [Fact]
    public void The_base_payloads_of_these_tests_are_valid()
    {
        Assert.True(ProtocolCodec.DecodeCommand(Encoding.UTF8.GetBytes(Download)).IsSuccess);
        Assert.True(ProtocolCodec.DecodeEvent(Encoding.UTF8.GetBytes(Staged)).IsSuccess);
        Assert.True(ProtocolCodec.DecodeEvent(Encoding.UTF8.GetBytes(State)).IsSuccess);
        Assert.True(ProtocolCodec.DecodeEvent(Encoding.UTF8.GetBytes(Booted)).IsSuccess);
    }

    public static TheoryData<string, string, ProtocolErrorKind, string?, string> EventCases() => new()
    {
        // envelope
        { "missing schema", """{"type":"staged"}""", ProtocolErrorKind.MissingField, "schema", "field 'schema' is required" },
        { "schema not a number", Staged.Replace("\"schema\":1", "\"schema\":\"1\""), ProtocolErrorKind.InvalidField, "schema", "field 'schema' must be an integer, got \"1\"" },
        { "future schema", Staged.Replace("\"schema\":1", "\"schema\":7"), ProtocolErrorKind.UnsupportedSchema, "schema", "schema 7 is not supported (this orchestrator speaks 1)" },
        { "missing type", """{"schema":1,"seq":1}""", ProtocolErrorKind.MissingField, "type", "field 'type' is required" },
        { "type not a string", """{"schema":1,"type":3,"seq":1}""", ProtocolErrorKind.InvalidField, "type", "field 'type' must be a string, got 3" },
        { "unknown type", """{"schema":1,"type":"foo","seq":1}""", ProtocolErrorKind.UnknownType, "type", "unknown type 'foo'" },
        { "command on the event topic", """{"schema":1,"type":"commit","seq":1}""", ProtocolErrorKind.UnknownType, "type", "type 'commit' is a command, not an event" },
        { "not an object", "[1,2,3]", ProtocolErrorKind.NotAnObject, null, "payload must be a JSON object" },
        { "duplicate field", Staged.Replace("\"size\":98304", "\"size\":1,\"size\":98304"), ProtocolErrorKind.DuplicateField, "size", "field 'size' appears more than once" },
        // seq and commandId
        { "missing seq", Staged.Replace("\"seq\":12,", ""), ProtocolErrorKind.MissingField, "seq", "field 'seq' is required" },
        { "negative seq", Staged.Replace("\"seq\":12", "\"seq\":-1"), ProtocolErrorKind.InvalidField, "seq", "field 'seq' must be 0..9007199254740991, got -1" },
        { "seq beyond 2^53", Staged.Replace("\"seq\":12", "\"seq\":9007199254740992"), ProtocolErrorKind.InvalidField, "seq", "field 'seq' must be 0..9007199254740991" },
        { "fractional seq", Staged.Replace("\"seq\":12", "\"seq\":12.5"), ProtocolErrorKind.InvalidField, "seq", "field 'seq' must be an integer" },
        { "huge seq", Staged.Replace("\"seq\":12", "\"seq\":" + new string('9', 400)), ProtocolErrorKind.InvalidField, "seq", "a 400-digit number" },
        { "missing commandId on an answer", Staged.Replace("\"commandId\":\"c-1\",", ""), ProtocolErrorKind.MissingField, "commandId", "field 'commandId' is required" },
        { "bad commandId charset", Staged.Replace("\"c-1\"", "\"c 1\""), ProtocolErrorKind.InvalidField, "commandId", "contains ' ' at position 1" },
        { "commandId too long", Staged.Replace("\"c-1\"", "\"" + new string('c', 65) + "\""), ProtocolErrorKind.InvalidField, "commandId", "is 65 characters long (at most 64)" },
        { "empty commandId", Staged.Replace("\"c-1\"", "\"\""), ProtocolErrorKind.InvalidField, "commandId", "is empty" },
        // staged
        { "crc as number", Staged.Replace("\"0x1234ABCD\"", "305441741"), ProtocolErrorKind.InvalidField, "crc", "field 'crc' must be a hex string like 0x1A2B3C4D, got 305441741" },
        { "crc without 0x", Staged.Replace("\"0x1234ABCD\"", "\"1234ABCD\""), ProtocolErrorKind.InvalidField, "crc", "must be a hex string like 0x1A2B3C4D" },
        { "crc too short", Staged.Replace("\"0x1234ABCD\"", "\"0x1234ABC\""), ProtocolErrorKind.InvalidField, "crc", "must be a hex string" },
        { "crc not hex", Staged.Replace("\"0x1234ABCD\"", "\"0x1234ABCG\""), ProtocolErrorKind.InvalidField, "crc", "must be a hex string" },
        { "crc with sign", Staged.Replace("\"0x1234ABCD\"", "\"0x+234ABCD\""), ProtocolErrorKind.InvalidField, "crc", "must be a hex string" },
        { "size 0", Staged.Replace("\"size\":98304", "\"size\":0"), ProtocolErrorKind.InvalidField, "size", "field 'size' must be 1..98304, got 0" },
        { "size above a bank", Staged.Replace("\"size\":98304", "\"size\":98305"), ProtocolErrorKind.InvalidField, "size", "field 'size' must be 1..98304, got 98305" },
        { "size as string", Staged.Replace("\"size\":98304", "\"size\":\"98304\""), ProtocolErrorKind.InvalidField, "size", "field 'size' must be an integer" },
        { "size beyond int", Staged.Replace("\"size\":98304", "\"size\":4294967296"), ProtocolErrorKind.InvalidField, "size", "must be an integer, got 4294967296" },
        { "version two parts", Staged.Replace("\"1.1.0\"", "\"1.1\""), ProtocolErrorKind.InvalidField, "version", "field 'version' must be a version string like \"1.4.0\"" },
        { "version leading zero", Staged.Replace("\"1.1.0\"", "\"1.01.0\""), ProtocolErrorKind.InvalidField, "version", "no leading zeros" },
        { "version with spaces", Staged.Replace("\"1.1.0\"", "\" 1.1.0\""), ProtocolErrorKind.InvalidField, "version", "must be a version string" },
        { "version as number", Staged.Replace("\"1.1.0\"", "1.1"), ProtocolErrorKind.InvalidField, "version", "got 1.1" },
        { "null required field", Staged.Replace("\"1.1.0\"", "null"), ProtocolErrorKind.MissingField, "version", "field 'version' is required" },
        // ack
        { "refusal without reason", """{"schema":1,"type":"ack","commandId":"c-1","seq":1,"accepted":false}""", ProtocolErrorKind.MissingField, "reason", "field 'reason' is required when accepted is false" },
        { "acceptance with reason", """{"schema":1,"type":"ack","commandId":"c-1","seq":1,"accepted":true,"reason":"busy"}""", ProtocolErrorKind.InvalidField, "reason", "must be absent when accepted is true" },
        { "accepted not boolean", """{"schema":1,"type":"ack","commandId":"c-1","seq":1,"accepted":1}""", ProtocolErrorKind.InvalidField, "accepted", "field 'accepted' must be true or false, got 1" },
        { "reason not kebab", """{"schema":1,"type":"ack","commandId":"c-1","seq":1,"accepted":false,"reason":"Busy Now"}""", ProtocolErrorKind.InvalidField, "reason", "contains 'B' at position 0" },
        { "reason too long", """{"schema":1,"type":"ack","commandId":"c-1","seq":1,"accepted":false,"reason":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}""", ProtocolErrorKind.InvalidField, "reason", "33 characters long (at most 32)" },
        // progress
        { "progress beyond total", """{"schema":1,"type":"progress","commandId":"c-1","seq":1,"bytesWritten":4097,"totalBytes":4096}""", ProtocolErrorKind.InvalidField, "bytesWritten", "field 'bytesWritten' must be 0..totalBytes (4096), got 4097" },
        { "progress negative", """{"schema":1,"type":"progress","commandId":"c-1","seq":1,"bytesWritten":-1,"totalBytes":4096}""", ProtocolErrorKind.InvalidField, "bytesWritten", "got -1" },
        { "progress total 0", """{"schema":1,"type":"progress","commandId":"c-1","seq":1,"bytesWritten":0,"totalBytes":0}""", ProtocolErrorKind.InvalidField, "totalBytes", "field 'totalBytes' must be 1..98304, got 0" },
        // stagingFailed
        { "resume offset beyond a bank", """{"schema":1,"type":"stagingFailed","commandId":"c-1","seq":1,"reason":"download","resumeOffset":98305}""", ProtocolErrorKind.InvalidField, "resumeOffset", "field 'resumeOffset' must be 0..98304, got 98305" },
        { "detail with control character", """{"schema":1,"type":"stagingFailed","commandId":"c-1","seq":1,"reason":"download","detail":"a\u0007b"}""", ProtocolErrorKind.InvalidField, "detail", "must not contain control characters (found '\\u0007')" },
        { "detail too long", "{\"schema\":1,\"type\":\"stagingFailed\",\"commandId\":\"c-1\",\"seq\":1,\"reason\":\"download\",\"detail\":\"" + new string('x', 257) + "\"}", ProtocolErrorKind.InvalidField, "detail", "at most 256 characters, got 257" },
        // booted
        { "bank 3", Booted.Replace("\"activeBank\":2", "\"activeBank\":3"), ProtocolErrorKind.InvalidField, "activeBank", "field 'activeBank' must be the bank number 1 or 2, got 3" },
        { "bank as string", Booted.Replace("\"activeBank\":2", "\"activeBank\":\"2\""), ProtocolErrorKind.InvalidField, "activeBank", "got \"2\"" },
        { "unknown image state", Booted.Replace("\"trial\"", "\"testing\""), ProtocolErrorKind.InvalidField, "imageState", "must be one of committed | trial, got \"testing\"" },
        { "unknown reset cause", Booted.Replace("\"option-byte-load\"", "\"OptionByteLoad\""), ProtocolErrorKind.InvalidField, "resetCause", "must be one of power-on | pin |" },
        { "trial boot count above 255", Booted.Replace("\"trialBootCount\":1", "\"trialBootCount\":256"), ProtocolErrorKind.InvalidField, "trialBootCount", "must be 0..255, got 256" },
        // state report (nested paths)
        { "state not an object", """{"schema":1,"type":"state","seq":1,"state":"ok"}""", ProtocolErrorKind.NotAnObject, "state", "field 'state' must be a JSON object" },
        { "rdp 3", State.Replace("\"rdpLevel\":1", "\"rdpLevel\":3"), ProtocolErrorKind.InvalidField, "state.hardware.rdpLevel", "field 'state.hardware.rdpLevel' must be 0..2, got 3" },
        { "missing hardware", State.Replace(",\"hardware\":" + Hw, ""), ProtocolErrorKind.MissingField, "state.hardware", "field 'state.hardware' is required" },
        { "hardware target upper case", State.Replace("stm32l072cz", "STM32L072CZ"), ProtocolErrorKind.InvalidField, "state.hardware.target", "lower-case hardware target" },
        { "rom version", State.Replace("\"4.1\"", "\"v4\""), ProtocolErrorKind.InvalidField, "state.hardware.romBootloader", "like '4.1', got 'v4'" },
        { "silicon revision", State.Replace("\"Z\"", "\"rev-z\""), ProtocolErrorKind.InvalidField, "state.hardware.siliconRevision", "like 'Z'" },
        { "flash size 0", State.Replace("\"flashSizeKb\":192", "\"flashSizeKb\":0"), ProtocolErrorKind.InvalidField, "state.hardware.flashSizeKb", "must be 1..2048, got 0" },
        { "bfb2 as number", State.Replace("\"bfb2\":false", "\"bfb2\":0"), ProtocolErrorKind.InvalidField, "state.bfb2", "must be true or false, got 0" },
        { "active crc lower-case x missing", State.Replace("\"0x6A3F19C2\"", "\"6A3F19C2\""), ProtocolErrorKind.InvalidField, "state.activeImageCrc", "must be a hex string like 0x1A2B3C4D" },
        // rolledBack
        { "rolledBack without reason", """{"schema":1,"type":"rolledBack","seq":1,"version":"1.0.0"}""", ProtocolErrorKind.MissingField, "reason", "field 'reason' is required" },
    };

    [Theory]
    [MemberData(nameof(EventCases))]
    public void Event_rules(string rule, string json, ProtocolErrorKind kind, string? field, string message)
    {
        var result = ProtocolCodec.DecodeEvent(Encoding.UTF8.GetBytes(json));
        Assert.False(result.IsSuccess, $"{rule}: decoded although it breaks the rule");
        Assert.Equal(kind, result.Error.Kind);
        Assert.Equal(field, result.Error.Field);
        Assert.Contains(message, result.Error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, ProtocolErrorKind, string?, string> CommandCases() => new()
    {
        { "future schema", """{"schema":2,"type":"getState","id":"c-1"}""", ProtocolErrorKind.UnsupportedSchema, "schema", "schema 2 is not supported (this device speaks 1)" },
        { "event on the command topic", """{"schema":1,"type":"staged","id":"c-1"}""", ProtocolErrorKind.UnknownType, "type", "type 'staged' is an event, not a command" },
        { "unknown command", """{"schema":1,"type":"reboot","id":"c-1"}""", ProtocolErrorKind.UnknownType, "type", "unknown type 'reboot' (a command is one of: getState, download, erase, authorizeSwap, commit, rollback)" },
        { "missing id", """{"schema":1,"type":"getState"}""", ProtocolErrorKind.MissingField, "id", "field 'id' is required" },
        { "id with slash", """{"schema":1,"type":"getState","id":"a/b"}""", ProtocolErrorKind.InvalidField, "id", "contains '/' at position 1" },
        { "url not http", Download.Replace("https://h.example/fw.bin", "ftp://h.example/fw.bin"), ProtocolErrorKind.InvalidField, "url", "must be an absolute http:// or https:// URL" },
        { "url relative", Download.Replace("https://h.example/fw.bin", "/fw.bin"), ProtocolErrorKind.InvalidField, "url", "must be an absolute http:// or https:// URL" },
        { "url with space", Download.Replace("https://h.example/fw.bin", "https://h.example/f w.bin"), ProtocolErrorKind.InvalidField, "url", "without spaces" },
        { "url with credentials", Download.Replace("https://h.example/fw.bin", "https://dev:secret@h.example/fw.bin"), ProtocolErrorKind.InvalidField, "url", "must not carry credentials" },
        { "url too long", Download.Replace("fw.bin", new string('a', 2100)), ProtocolErrorKind.InvalidField, "url", "at most 2048 characters" },
        { "resume offset negative", Download.Replace("\"resumeOffset\":0", "\"resumeOffset\":-64"), ProtocolErrorKind.InvalidField, "resumeOffset", "must be 0..98304, got -64" },
        { "missing manifest", Download.Replace(",\"manifest\":" + Manifest, ""), ProtocolErrorKind.MissingField, "manifest", "field 'manifest' is required" },
        { "manifest not base64", Download.Replace("eyJzaXplIjo2MTQ0MH0=", "eyJzaXpl Ijo2MTQ0MH0="), ProtocolErrorKind.InvalidField, "manifest.manifest", "must be standard base64" },
        { "manifest empty", Download.Replace("eyJzaXplIjo2MTQ0MH0=", ""), ProtocolErrorKind.InvalidField, "manifest.manifest", "must not be empty" },
        { "signature wrong length", Download.Replace(Sig64, "AAAA"), ProtocolErrorKind.InvalidField, "manifest.signature", "64-byte ECDSA P-256 signature (r||s) in base64, got 3 bytes" },
        { "signature bad padding", Download.Replace(Sig64, "A=AA"), ProtocolErrorKind.InvalidField, "manifest.signature", "must be standard base64" },
        { "key id bad", Download.Replace("\"k-1\"", "\"k 1\""), ProtocolErrorKind.InvalidField, "manifest.keyId", "contains ' ' at position 1" },
        { "manifest not an object", Download.Replace(Manifest, "\"abc\""), ProtocolErrorKind.NotAnObject, "manifest", "field 'manifest' must be a JSON object" },
        { "authorizeSwap without crc", """{"schema":1,"type":"authorizeSwap","id":"c-1","version":"1.1.0"}""", ProtocolErrorKind.MissingField, "crc", "field 'crc' is required" },
        { "commit bad version", """{"schema":1,"type":"commit","id":"c-1","version":"1.1.0.0"}""", ProtocolErrorKind.InvalidField, "version", "must be a version string" },
        { "rollback bad reason", """{"schema":1,"type":"rollback","id":"c-1","reason":"health check failed"}""", ProtocolErrorKind.InvalidField, "reason", "contains ' ' at position 6" },
    };

    [Theory]
    [MemberData(nameof(CommandCases))]
    public void Command_rules(string rule, string json, ProtocolErrorKind kind, string? field, string message)
    {
        var result = ProtocolCodec.DecodeCommand(Encoding.UTF8.GetBytes(json));
        Assert.False(result.IsSuccess, $"{rule}: decoded although it breaks the rule");
        Assert.Equal(kind, result.Error.Kind);
        Assert.Equal(field, result.Error.Field);
        Assert.Contains(message, result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_payload_is_reported_as_empty()
    {
        var result = ProtocolCodec.DecodePresence(ReadOnlySpan<byte>.Empty);
        Assert.Equal(ProtocolErrorKind.Empty, result.Error!.Kind);
        Assert.Equal("payload is empty", result.Error.Message);
    }

    [Fact]
    public void Oversized_payload_is_refused_before_parsing()
    {
        var payload = new byte[WireLimits.MaxPayloadBytes + 1];
        var result = ProtocolCodec.DecodeEvent(payload);
        Assert.Equal(ProtocolErrorKind.TooLarge, result.Error!.Kind);
        Assert.Equal("payload is 8193 bytes, larger than the limit of 8192", result.Error.Message);
        Assert.Equal(ProtocolErrorKind.TooLarge, ProtocolCodec.DecodeCommand(CodecRoundTripTests.Segmented(payload, 1000)).Error!.Kind);
    }

    [Theory]
    [InlineData("{\"schema\":1,\"type\":\"ack\" x", 25)]
    [InlineData("{\"schema\":1,}", 12)]
    [InlineData("not json", 1)] // "n" starts a valid null literal; "o" is the first bad byte
    [InlineData("{\"schema\":1} {}", 13)]
    [InlineData("{\"a\":1 // comment\n}", 7)]
    public void Malformed_json_names_the_byte(string text, long at)
    {
        var result = ProtocolCodec.DecodeEvent(Encoding.UTF8.GetBytes(text));
        Assert.Equal(ProtocolErrorKind.NotJson, result.Error!.Kind);
        Assert.Equal(at, result.Error.BytePosition);
        Assert.StartsWith($"payload is not JSON at byte {at}: ", result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nesting_deeper_than_the_limit_is_not_json()
    {
        string deep = "{\"schema\":1,\"type\":\"health\",\"seq\":1,\"healthy\":true,\"x\":" + new string('[', 20) + new string(']', 20) + "}";
        var result = ProtocolCodec.DecodeEvent(Encoding.UTF8.GetBytes(deep));
        Assert.Equal(ProtocolErrorKind.NotJson, result.Error!.Kind);
        Assert.Contains("depth", result.Error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Too_many_properties_are_refused()
    {
        var sb = new StringBuilder("{\"schema\":1,\"type\":\"health\",\"seq\":1,\"healthy\":true");
        for (int i = 0; i < 40; i++) sb.Append($",\"x{i}\":{i}");
        sb.Append('}');
        var result = ProtocolCodec.DecodeEvent(Encoding.UTF8.GetBytes(sb.ToString()));
        Assert.Equal(ProtocolErrorKind.TooManyFields, result.Error!.Kind);
        Assert.Equal("payload has more than 32 properties", result.Error.Message);
    }

    [Fact]
    public void Invalid_utf8_inside_a_string_is_an_error_not_an_exception()
    {
        byte[] payload = [.. "{\"schema\":1,\"type\":\"health\",\"seq\":1,\"healthy\":true,\"detail\":\""u8, 0xC3, 0x28, .. "\"}"u8];
        var result = ProtocolCodec.DecodeEvent(payload);
        Assert.False(result.IsSuccess);
        Assert.Contains("UTF-8", result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_lone_surrogate_escape_is_an_error_not_an_exception()
    {
        var result = ProtocolCodec.DecodeEvent("""{"schema":1,"type":"health","seq":1,"healthy":true,"detail":"\ud800"}"""u8);
        Assert.Equal(ProtocolErrorKind.InvalidField, result.Error!.Kind);
        Assert.Equal("field 'detail' must be valid Unicode text (UTF-8, no lone surrogate escapes)", result.Error.Message);
    }

    [Fact]
    public void Presence_accepts_only_presence()
    {
        var wrong = ProtocolCodec.DecodePresence("""{"schema":1,"type":"booted","online":true}"""u8);
        Assert.Equal(ProtocolErrorKind.UnknownType, wrong.Error!.Kind);
        Assert.Equal("type 'booted' is not allowed on the status topic (expected 'presence')", wrong.Error.Message);
        var missing = ProtocolCodec.DecodePresence("""{"schema":1,"type":"presence"}"""u8);
        Assert.Equal("field 'online' is required", missing.Error!.Message);
    }

    [Fact]
    public void A_device_can_answer_a_malformed_command_by_its_id()
    {
        byte[] broken = """{"schema":1,"type":"commit","id":"c-77","version":"one"}"""u8.ToArray();
        Assert.False(ProtocolCodec.DecodeCommand(broken).IsSuccess);
        Assert.True(ProtocolCodec.TryReadCommandId(broken, out var id));
        Assert.Equal("c-77", id);

        Assert.False(ProtocolCodec.TryReadCommandId("""{"schema":1,"id":"a b"}"""u8, out _));
        Assert.False(ProtocolCodec.TryReadCommandId("""{"schema":1,"id":7}"""u8, out _));
        Assert.False(ProtocolCodec.TryReadCommandId("{\"id\":\"c-1\""u8, out _));
        Assert.False(ProtocolCodec.TryReadCommandId(""u8, out _));
    }
}
