using System.Buffers;
using System.Text.Json;
using FleetOrchestrator.Protocol.Messages;
using FleetOrchestrator.Protocol.Validation;

namespace FleetOrchestrator.Protocol.Codec;

/// <summary>
/// The wire codec of protocol schema 1 (PROTOCOL.md): message records ⇄ UTF-8 JSON payloads.
/// <para>Encoding validates with <see cref="MessageRules"/> and throws <see cref="ArgumentException"/> for a message the
/// other end would refuse: that is a bug in the sender, not a wire condition.</para>
/// <para>Decoding never throws on any input: it returns a <see cref="DecodeResult{T}"/> holding either a message that
/// passed every rule or a <see cref="ProtocolError"/> that says where and why. No reflection: a hand-written
/// <see cref="Utf8JsonWriter"/> on the way out, <see cref="JsonDocument"/> plus typed field readers on the way in.</para>
/// Thread-safe: no shared mutable state except a per-thread reusable output buffer.
/// </summary>
public static class ProtocolCodec
{
    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        MaxDepth = WireLimits.MaxJsonDepth,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
    };

    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] private static Utf8JsonWriter? t_writer;

    // ---- encoding -------------------------------------------------------------------------------------------------

    /// <summary>The payload to publish on <c>…/cmd</c>.</summary>
    public static byte[] Encode(DeviceCommand command)
    {
        ThrowIfInvalid(MessageRules.Check(command), command);
        return WithWriter(w => MessageWriter.Write(w, command));
    }

    /// <summary>The payload to publish on <c>…/evt</c> (or, for a <see cref="StateReported"/>, also on <c>…/state</c>).</summary>
    public static byte[] Encode(DeviceEvent evt)
    {
        ThrowIfInvalid(MessageRules.Check(evt), evt);
        return WithWriter(w => MessageWriter.Write(w, evt));
    }

    /// <summary>The payload for <c>…/status</c>; <c>new DevicePresence(false)</c> is the last-will payload.</summary>
    public static byte[] Encode(DevicePresence presence)
    {
        ArgumentNullException.ThrowIfNull(presence);
        return WithWriter(w => MessageWriter.Write(w, presence));
    }

    /// <summary>Appends the command's payload to <paramref name="output"/> (no intermediate array).</summary>
    public static void Encode(DeviceCommand command, IBufferWriter<byte> output)
    {
        ThrowIfInvalid(MessageRules.Check(command), command);
        using var w = new Utf8JsonWriter(output, MessageWriter.Options);
        MessageWriter.Write(w, command);
    }

    /// <summary>Appends the event's payload to <paramref name="output"/> (no intermediate array).</summary>
    public static void Encode(DeviceEvent evt, IBufferWriter<byte> output)
    {
        ThrowIfInvalid(MessageRules.Check(evt), evt);
        using var w = new Utf8JsonWriter(output, MessageWriter.Options);
        MessageWriter.Write(w, evt);
    }

    // ---- decoding -------------------------------------------------------------------------------------------------

    /// <summary>Decodes a payload received on <c>…/cmd</c> (the device side).</summary>
    public static DecodeResult<DeviceCommand> DecodeCommand(ReadOnlySpan<byte> payload)
    {
        if (Precheck(payload.Length) is { } early) return DecodeResult<DeviceCommand>.Failure(early);
        var reader = new Utf8JsonReader(payload, ReaderOptions);
        return Decode(ref reader, MessageReader.ReadCommand, MessageRules.Check);
    }

    /// <summary>Decodes a payload received on <c>…/cmd</c>, as MQTT clients hand it over.</summary>
    public static DecodeResult<DeviceCommand> DecodeCommand(in ReadOnlySequence<byte> payload)
    {
        if (Precheck(payload.Length) is { } early) return DecodeResult<DeviceCommand>.Failure(early);
        var reader = new Utf8JsonReader(payload, ReaderOptions);
        return Decode(ref reader, MessageReader.ReadCommand, MessageRules.Check);
    }

    /// <summary>Decodes a payload received on <c>…/evt</c> or <c>…/state</c> (the orchestrator side).</summary>
    public static DecodeResult<DeviceEvent> DecodeEvent(ReadOnlySpan<byte> payload)
    {
        if (Precheck(payload.Length) is { } early) return DecodeResult<DeviceEvent>.Failure(early);
        var reader = new Utf8JsonReader(payload, ReaderOptions);
        return Decode(ref reader, MessageReader.ReadEvent, MessageRules.Check);
    }

    /// <summary>Decodes a payload received on <c>…/evt</c> or <c>…/state</c>, as MQTT clients hand it over.</summary>
    public static DecodeResult<DeviceEvent> DecodeEvent(in ReadOnlySequence<byte> payload)
    {
        if (Precheck(payload.Length) is { } early) return DecodeResult<DeviceEvent>.Failure(early);
        var reader = new Utf8JsonReader(payload, ReaderOptions);
        return Decode(ref reader, MessageReader.ReadEvent, MessageRules.Check);
    }

    /// <summary>Decodes a payload received on <c>…/status</c>. An empty payload means the retained status was cleared.</summary>
    public static DecodeResult<DevicePresence> DecodePresence(ReadOnlySpan<byte> payload)
    {
        if (Precheck(payload.Length) is { } early) return DecodeResult<DevicePresence>.Failure(early);
        var reader = new Utf8JsonReader(payload, ReaderOptions);
        return Decode(ref reader, MessageReader.ReadPresence, static _ => null);
    }

    /// <summary>Decodes a payload received on <c>…/status</c>, as MQTT clients hand it over.</summary>
    public static DecodeResult<DevicePresence> DecodePresence(in ReadOnlySequence<byte> payload)
    {
        if (Precheck(payload.Length) is { } early) return DecodeResult<DevicePresence>.Failure(early);
        var reader = new Utf8JsonReader(payload, ReaderOptions);
        return Decode(ref reader, MessageReader.ReadPresence, static _ => null);
    }

    /// <summary>
    /// Best effort for a command that failed to decode: its top-level <c>id</c> when that is a valid command id, so that a
    /// device can answer <c>ack</c> with <c>accepted:false, reason:"malformed"</c> and the sender learns why. Never throws.
    /// </summary>
    public static bool TryReadCommandId(ReadOnlySpan<byte> payload, out string id)
    {
        id = "";
        if (payload.IsEmpty || payload.Length > WireLimits.MaxPayloadBytes) return false;
        try
        {
            var reader = new Utf8JsonReader(payload, ReaderOptions);
            using var doc = JsonDocument.ParseValue(ref reader);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return false;
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                if (!p.NameEquals("id") || p.Value.ValueKind != JsonValueKind.String) continue;
                string candidate = p.Value.GetString()!;
                if (!WireIdentifiers.IsValidCommandId(candidate)) return false;
                id = candidate;
                return true;
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Not even JSON with a readable id: nothing to answer to.
        }
        return false;
    }

    /// <summary>The rules a message must satisfy to be sent or accepted; null when it satisfies them all.</summary>
    public static ProtocolError? Validate(DeviceCommand command) => MessageRules.Check(command);

    /// <summary>The rules an event must satisfy to be sent or accepted; null when it satisfies them all.</summary>
    public static ProtocolError? Validate(DeviceEvent evt) => MessageRules.Check(evt);

    // ---- internals ------------------------------------------------------------------------------------------------

    private static ProtocolError? Precheck(long length)
    {
        if (length == 0) return new ProtocolError(ProtocolErrorKind.Empty, "payload is empty");
        if (length > WireLimits.MaxPayloadBytes)
            return new ProtocolError(ProtocolErrorKind.TooLarge, $"payload is {length} bytes, larger than the limit of {WireLimits.MaxPayloadBytes}");
        return null;
    }

    private static DecodeResult<T> Decode<T>(ref Utf8JsonReader reader, Func<JsonElement, T> read, Func<T, ProtocolError?> check) where T : class
    {
        try
        {
            using var doc = JsonDocument.ParseValue(ref reader);
            // Without AllowMultipleValues the reader throws on anything but whitespace after the value; this is the backstop.
            if (reader.Read())
                return DecodeResult<T>.Failure(new ProtocolError(ProtocolErrorKind.NotJson,
                    $"payload is not JSON at byte {reader.TokenStartIndex}: content after the end of the JSON value", null, reader.TokenStartIndex));
            T message = read(doc.RootElement);
            return check(message) is { } broken ? DecodeResult<T>.Failure(broken) : DecodeResult<T>.Success(message);
        }
        catch (ProtocolViolation v)
        {
            return DecodeResult<T>.Failure(v.Error);
        }
        catch (JsonException e)
        {
            return DecodeResult<T>.Failure(NotJson(e));
        }
        catch (InvalidOperationException e)
        {
            // System.Text.Json reports a few malformed inputs (e.g. invalid UTF-8 inside a name) this way.
            return DecodeResult<T>.Failure(new ProtocolError(ProtocolErrorKind.NotJson, $"payload is not valid UTF-8 JSON: {MessageRules.LogSafe(e.Message)}"));
        }
    }

    private static ProtocolError NotJson(JsonException e)
    {
        string reason = e.Message;
        int cut = reason.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut > 0) reason = reason[..cut];
        // System.Text.Json quotes the offending byte verbatim; error texts go to logs, so escape control characters.
        reason = MessageRules.LogSafe(reason);
        long? line = e.LineNumber, byteInLine = e.BytePositionInLine;
        // Payloads are single-line JSON; only then is "byte in line" the byte offset in the payload.
        if (line == 0 && byteInLine is { } at)
            return new ProtocolError(ProtocolErrorKind.NotJson, $"payload is not JSON at byte {at}: {reason}", null, at);
        if (line is { } l && byteInLine is { } b)
            return new ProtocolError(ProtocolErrorKind.NotJson, $"payload is not JSON at line {l + 1}, byte {b} of that line: {reason}");
        return new ProtocolError(ProtocolErrorKind.NotJson, $"payload is not JSON: {reason}");
    }

    private static void ThrowIfInvalid(ProtocolError? error, object message)
    {
        if (error is not null)
            throw new ArgumentException($"cannot encode {message.GetType().Name}: {error.Message}", nameof(message));
    }

    private static byte[] WithWriter(Action<Utf8JsonWriter> write)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(512);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer, MessageWriter.Options);
        writer.Reset(buffer);
        write(writer);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }
}
