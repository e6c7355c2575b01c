using System.Buffers;
using System.Text;
using FleetOrchestrator.Protocol.Codec;
using FleetOrchestrator.Protocol.Messages;

namespace FleetOrchestrator.Protocol.Tests;

public class CodecRoundTripTests
{
    public static TheoryData<DeviceCommand> AllCommands() => new(Samples.Commands());
    public static TheoryData<DeviceEvent> AllEvents() => new(Samples.Events());

    [Theory]
    [MemberData(nameof(AllCommands))]
    public void Every_command_round_trips_through_span_and_segmented_sequence(DeviceCommand command)
    {
        byte[] payload = ProtocolCodec.Encode(command);

        Assert.Equal(command, Decoded(ProtocolCodec.DecodeCommand(payload)));
        Assert.Equal(command, Decoded(ProtocolCodec.DecodeCommand(Segmented(payload, 7))));
    }

    [Theory]
    [MemberData(nameof(AllEvents))]
    public void Every_event_round_trips_through_span_and_segmented_sequence(DeviceEvent evt)
    {
        byte[] payload = ProtocolCodec.Encode(evt);

        Assert.Equal(evt, Decoded(ProtocolCodec.DecodeEvent(payload)));
        Assert.Equal(evt, Decoded(ProtocolCodec.DecodeEvent(Segmented(payload, 5))));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Presence_round_trips(bool online)
    {
        byte[] payload = ProtocolCodec.Encode(new DevicePresence(online));

        Assert.Equal(new DevicePresence(online), Decoded(ProtocolCodec.DecodePresence(payload)));
        Assert.Equal(new DevicePresence(online), Decoded(ProtocolCodec.DecodePresence(Segmented(payload, 3))));
    }

    [Fact]
    public void Encoding_to_a_buffer_writer_gives_the_same_bytes()
    {
        foreach (var command in Samples.Commands())
        {
            var buffer = new ArrayBufferWriter<byte>();
            ProtocolCodec.Encode(command, buffer);
            Assert.Equal(ProtocolCodec.Encode(command), buffer.WrittenSpan.ToArray());
        }
        foreach (var evt in Samples.Events())
        {
            var buffer = new ArrayBufferWriter<byte>();
            ProtocolCodec.Encode(evt, buffer);
            Assert.Equal(ProtocolCodec.Encode(evt), buffer.WrittenSpan.ToArray());
        }
    }

    [Fact]
    public void Wire_form_uses_the_documented_spellings()
    {
        string staged = Encoding.UTF8.GetString(ProtocolCodec.Encode(new ImageStaged("c-2", 12, Samples.V110, 98304, 0x1234ABCD)));
        Assert.Equal("""{"schema":1,"type":"staged","commandId":"c-2","seq":12,"version":"1.1.0","size":98304,"crc":"0x1234ABCD"}""", staged);

        string download = Encoding.UTF8.GetString(ProtocolCodec.Encode(Samples.Commands().OfType<StartDownload>().Single()));
        Assert.StartsWith("""{"schema":1,"type":"download","id":"rollout-7:download:2","url":"https://fleet.example.com/a/fw-1.1.0.bin?t=1","resumeOffset":32768,"manifest":{"manifest":""", download);
        Assert.DoesNotContain("\\u", download, StringComparison.Ordinal); // base64 '+' and '/' are written verbatim

        string booted = Encoding.UTF8.GetString(ProtocolCodec.Encode(new DeviceBooted(null, 1, Samples.V110, BankId.Bank2, ImageState.Trial, ResetCause.OptionByteLoad, 1)));
        Assert.Equal("""{"schema":1,"type":"booted","seq":1,"version":"1.1.0","activeBank":2,"imageState":"trial","resetCause":"option-byte-load","trialBootCount":1}""", booted);
    }

    [Fact]
    public void Every_reset_cause_has_a_spelling_that_parses_back()
    {
        foreach (var cause in Enum.GetValues<ResetCause>())
        {
            var evt = new DeviceBooted(null, 1, Samples.V100, BankId.Bank1, ImageState.Committed, cause, 0);
            Assert.Equal(evt, Decoded(ProtocolCodec.DecodeEvent(ProtocolCodec.Encode(evt))));
        }
    }

    [Fact]
    public void Optional_fields_are_omitted_and_null_means_absent()
    {
        string ack = Encoding.UTF8.GetString(ProtocolCodec.Encode(new CommandAcknowledged("c-1", 1, true, null)));
        Assert.DoesNotContain("reason", ack, StringComparison.Ordinal);

        var withNulls = ProtocolCodec.DecodeEvent("""{"schema":1,"type":"health","commandId":null,"seq":3,"healthy":true,"detail":null}"""u8);
        Assert.Equal(new HealthReported(null, 3, true, null), Decoded(withNulls));
    }

    [Fact]
    public void Receivers_ignore_unknown_fields_and_property_order_and_whitespace()
    {
        var result = ProtocolCodec.DecodeEvent("""
            { "crc" : "0xdb4cf3cc", "futureField": {"nested": [1, 2, 3]}, "size": 61440,
              "version": "1.1.0", "seq": 7, "commandId": "c-2", "type": "staged", "schema": 1 }
            """u8);
        Assert.Equal(new ImageStaged("c-2", 7, Samples.V110, 61440, 0xDB4CF3CC), Decoded(result));
    }

    [Fact]
    public void Defaults_apply_to_optional_numeric_fields()
    {
        var download = ProtocolCodec.DecodeCommand(
            """{"schema":1,"type":"download","id":"c-1","url":"http://h/x","manifest":{"manifest":"AA==","signature":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==","keyId":"k"}}"""u8);
        Assert.Equal(0, Assert.IsType<StartDownload>(Decoded(download)).ResumeOffset);

        var failed = ProtocolCodec.DecodeEvent("""{"schema":1,"type":"stagingFailed","commandId":"c-1","seq":1,"reason":"flash"}"""u8);
        Assert.Equal(new StagingFailed("c-1", 1, "flash", "", 0), Decoded(failed));
    }

    internal static T Decoded<T>(DecodeResult<T> result) where T : class
    {
        Assert.True(result.IsSuccess, result.Error?.Message);
        return result.Value!;
    }

    /// <summary>A multi-segment sequence, as MQTT clients may hand over payloads read from several socket buffers.</summary>
    internal static ReadOnlySequence<byte> Segmented(byte[] payload, int segmentLength)
    {
        Segment? first = null, last = null;
        for (int i = 0; i < payload.Length; i += segmentLength)
        {
            var memory = payload.AsMemory(i, Math.Min(segmentLength, payload.Length - i));
            if (first is null) first = last = new Segment(memory, 0);
            else last = last!.Append(memory);
        }
        return first is null ? ReadOnlySequence<byte>.Empty : new ReadOnlySequence<byte>(first, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
