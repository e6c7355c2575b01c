using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.Protocol.Messages;

namespace FleetOrchestrator.Protocol.Tests;

/// <summary>One valid instance of every message type, with values near their limits where that is interesting.</summary>
internal static class Samples
{
    public static readonly SemanticVersion V100 = new(1, 0, 0);
    public static readonly SemanticVersion V110 = new(1, 1, 0);

    // 64 bytes of signature, a short manifest: shape-valid (the codec does not verify signatures).
    public static readonly SignedManifestDto Manifest = SignedManifestDto.FromBytes(
        """{"size":61440}"""u8, Enumerable.Range(0, 64).Select(i => (byte)i).ToArray(), "p256-252858dbc405c1c2");

    public static readonly HardwareInfo Hardware = new("stm32l072cz", 192, "4.1", "Z", 1, V100);

    public static readonly DeviceStateReport State =
        new(V100, BankId.Bank1, false, ImageState.Committed, ResetCause.PowerOn, Hardware, 0x6A3F19C2, V110);

    public static IEnumerable<DeviceCommand> Commands()
    {
        yield return new GetState("c-1");
        yield return new StartDownload("rollout-7:download:2", Manifest, "https://fleet.example.com/a/fw-1.1.0.bin?t=1", 32768);
        yield return new EraseStaged("c.3");
        yield return new AuthorizeSwap("c-4", V110, 0xDB4CF3CC);
        yield return new CommitImage("c-5", new SemanticVersion(999_999_999, 0, 12));
        yield return new RollBack("c-6", "health");
    }

    public static IEnumerable<DeviceEvent> Events()
    {
        yield return new StateReported(null, 0, State);
        yield return new StateReported("c-2", 12, State with
        {
            StagedVersion = null, ActiveBank = BankId.Bank2,
            InactiveBank = new InactiveBankImage(V100, 57344, 0x6A3F19C2, true),
        });
        yield return new StateReported("c-1", 9_007_199_254_740_991, State with { StagedVersion = null, ActiveBank = BankId.Bank2, ImageState = ImageState.Trial });
        yield return new CommandAcknowledged("c-2", 2, true, null);
        yield return new CommandAcknowledged("c-2", 3, false, "busy");
        yield return new DownloadProgress("c-2", 4, 0, 98304);
        yield return new DownloadProgress("c-2", 5, 98304, 98304);
        yield return new ImageStaged("c-2", 6, V110, 98304, 0xFFFFFFFF);
        yield return new ImageStaged("c-2", 7, V110, 1, 0);
        yield return new StagingFailed("c-2", 8, "download", "HTTP 503 \"unavailable\" – retry later", 32768);
        yield return new StagingFailed("c-2", 9, "integrity", "", 0);
        yield return new DeviceBooted(null, 10, V110, BankId.Bank2, ImageState.Trial, ResetCause.OptionByteLoad, 1);
        yield return new DeviceBooted("c-4", 11, V100, BankId.Bank1, ImageState.Committed, ResetCause.IndependentWatchdog, 255);
        yield return new HealthReported(null, 12, true, null);
        yield return new HealthReported("c-9", 13, false, "sensor bus timeout");
        yield return new ImageCommitted("c-5", 14, V110);
        yield return new RolledBackOnDevice(null, 15, V100, "boot-guard");
        yield return new RolledBackOnDevice("c-6", 16, V100, "command");
    }
}
