using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.Protocol.Messages;

namespace FleetOrchestrator.Mqtt.Tests.Support;

internal static class SampleMessages
{
    public static readonly SemanticVersion V1 = new(1, 4, 2);

    public static DeviceBooted Booted(long sequence = 1) =>
        new(null, sequence, V1, BankId.Bank1, ImageState.Committed, ResetCause.PowerOn, 0);

    public static DeviceStateReport StateReport() => new(
        V1, BankId.Bank1, Bfb2: false, ImageState.Committed, ResetCause.PowerOn,
        new HardwareInfo("stm32l072cz", 192, "4.1", "Z", 0, new SemanticVersion(1, 0, 0)),
        ActiveImageCrc: 0x1234_5678u, StagedVersion: null);

    public static StateReported State(long sequence = 2) => new(null, sequence, StateReport());
}
