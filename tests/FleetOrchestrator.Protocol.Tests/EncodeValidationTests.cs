using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.Protocol.Codec;
using FleetOrchestrator.Protocol.Messages;

namespace FleetOrchestrator.Protocol.Tests;

/// <summary>The encoder refuses to send what the other end would refuse: the same rules, caught at the sender.</summary>
public class EncodeValidationTests
{
    public static TheoryData<DeviceCommand, string> BadCommands() => new()
    {
        { new GetState("has space"), "field 'id' must be a command id" },
        { new GetState(""), "field 'id' must be a command id" },
        { new StartDownload("c-1", Samples.Manifest, "file:///etc/passwd", 0), "field 'url' must be an absolute http:// or https:// URL" },
        { new StartDownload("c-1", Samples.Manifest, "https://h/x", 98305), "field 'resumeOffset' must be 0..98304, got 98305" },
        { new StartDownload("c-1", Samples.Manifest with { SignatureBase64 = "AAAA" }, "https://h/x", 0), "field 'manifest.signature' must be a 64-byte" },
        { new StartDownload("c-1", Samples.Manifest with { KeyId = "" }, "https://h/x", 0), "field 'manifest.keyId' is empty" },
        { new StartDownload("c-1", null!, "https://h/x", 0), "field 'manifest' is required" },
        { new AuthorizeSwap("c-1", new SemanticVersion(-1, 0, 0), 0), "field 'version' must be a version" },
        { new RollBack("c-1", "Health"), "field 'reason' must be a reason token" },
    };

    [Theory]
    [MemberData(nameof(BadCommands))]
    public void Commands_that_break_a_rule_are_not_encoded(DeviceCommand command, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => ProtocolCodec.Encode(command));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.NotNull(ProtocolCodec.Validate(command));
    }

    public static TheoryData<DeviceEvent, string> BadEvents() => new()
    {
        { new ImageStaged("c-1", 1, Samples.V110, 0, 0), "field 'size' must be 1..98304, got 0" },
        { new ImageStaged(null!, 1, Samples.V110, 1, 0), "field 'commandId' is required" },
        { new ImageStaged("c-1", -5, Samples.V110, 1, 0), "field 'seq' must be 0..9007199254740991, got -5" },
        { new CommandAcknowledged("c-1", 1, false, null), "field 'reason' is required when accepted is false" },
        { new DownloadProgress("c-1", 1, 10, 5), "field 'bytesWritten' must be 0..totalBytes (5), got 10" },
        { new DeviceBooted(null, 1, Samples.V110, (BankId)3, ImageState.Trial, ResetCause.Pin, 0), "field 'activeBank' must be 1 or 2, got 3" },
        { new DeviceBooted(null, 1, Samples.V110, BankId.Bank1, (ImageState)9, ResetCause.Pin, 0), "field 'imageState' has no wire spelling" },
        { new StateReported(null, 1, Samples.State with { Hardware = Samples.Hardware with { RdpLevel = 3 } }), "field 'state.hardware.rdpLevel' must be 0..2, got 3" },
        { new StateReported(null, 1, null!), "field 'state' is required" },
        { new HealthReported(null, 1, false, "line\nbreak"), "field 'detail' must not contain control characters" },
        { new RolledBackOnDevice(null, 1, Samples.V100, "boot guard"), "field 'reason' must be a reason token" },
    };

    [Theory]
    [MemberData(nameof(BadEvents))]
    public void Events_that_break_a_rule_are_not_encoded(DeviceEvent evt, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => ProtocolCodec.Encode(evt));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_sample_message_is_valid()
    {
        foreach (var c in Samples.Commands()) Assert.Null(ProtocolCodec.Validate(c));
        foreach (var e in Samples.Events()) Assert.Null(ProtocolCodec.Validate(e));
    }
}
