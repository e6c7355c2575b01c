using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.Tests.Support;
using FleetOrchestrator.Protocol.Messages;
using Xunit.Abstractions;

namespace FleetOrchestrator.Orchestration.Tests.Devices;

public sealed class PreflightSpecs(ITestOutputHelper output) : SagaSpec(output)
{
    public static TheoryData<string, string> Refusals => new()
    {
        { "rom-4.0", "rom-bootloader:" },
        { "silicon-B", "silicon-revision:" },
        { "rdp-2", "rdp-level:" },
        { "flash-128", "flash-size:" },
        { "flash-64", "flash-size:" },
        { "other-target", "hardware-target:" },
        { "old-bootloader", "bootloader-version:" },
        { "downgrade", "downgrade:" },
    };

    private static DeviceStateReport ReportFor(string device) => device switch
    {
        "rom-4.0" => Fleet.Report(hardware: Fleet.Hardware(rom: "4.0")),
        "silicon-B" => Fleet.Report(hardware: Fleet.Hardware(silicon: "B")),
        "rdp-2" => Fleet.Report(hardware: Fleet.Hardware(rdp: 2)),
        "flash-128" => Fleet.Report(hardware: Fleet.Hardware(flashKb: 128)),
        "flash-64" => Fleet.Report(hardware: Fleet.Hardware(flashKb: 64)),
        "other-target" => Fleet.Report(hardware: Fleet.Hardware(target: "stm32l073rz")),
        "old-bootloader" => Fleet.Report(hardware: Fleet.Hardware(bootloader: new SemanticVersion(0, 9, 0))),
        "downgrade" => Fleet.Report(running: new SemanticVersion(2, 0, 0)),
        _ => throw new ArgumentOutOfRangeException(nameof(device)),
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Incompatible_devices_are_refused_with_a_reason_and_get_no_download(string device, string reasonKey)
    {
        var check = Begin();
        Reports(ReportFor(device), check.Id);
        var outcome = ExpectOutcome(UpdateOutcome.Incompatible);
        Assert.StartsWith(reasonKey, outcome.Reason);
        ExpectNoCommand();
        Assert.Equal("DeviceRefused", View().Saga!.History[^1].Fact);
    }

    [Fact]
    public void A_device_on_the_target_version_is_up_to_date()
    {
        var check = Begin();
        Reports(Fleet.Report(running: Fleet.New), check.Id);
        ExpectOutcome(UpdateOutcome.UpToDate);
        ExpectNoCommand();
    }

    [Fact]
    public void Downgrade_passes_when_the_target_allows_it()
    {
        var report = Fleet.Report(running: new SemanticVersion(2, 0, 0));
        Assert.IsType<PreflightVerdict.Pass>(Preflight.Check(report, Fleet.Target(allowDowngrade: true)));
        Assert.IsType<PreflightVerdict.Refuse>(Preflight.Check(report, Fleet.Target(allowDowngrade: false)));
    }

    [Fact]
    public void A_compatible_device_passes()
    {
        Assert.IsType<PreflightVerdict.Pass>(Preflight.Check(Fleet.Report(), Fleet.Target()));
        Assert.IsType<PreflightVerdict.Pass>(Preflight.Check(Fleet.Report(hardware: Fleet.Hardware(rom: "4.2")), Fleet.Target()));
        Assert.IsType<PreflightVerdict.Refuse>(Preflight.Check(Fleet.Report(hardware: Fleet.Hardware(rom: "banana")), Fleet.Target()));
    }

    [Theory]
    [InlineData("4.0", false)]
    [InlineData("4.1", true)]
    [InlineData("11.1", false)]
    [InlineData("11.2", true)]
    public void The_rom_rule_is_the_L072_models(string rom, bool dualBank)
    {
        // One rule (Firmware's L072RomBootloader) for the preflight and the model: ROM 11.1 (L071/L081) has no
        // dual-bank boot, which the preflight once accepted because 11.1 > 4.1 as a number.
        var verdict = Preflight.Check(Fleet.Report(hardware: Fleet.Hardware(rom: rom)), Fleet.Target());
        Assert.Equal(dualBank, verdict is PreflightVerdict.Pass);
        if (!dualBank)
            Assert.StartsWith("rom-bootloader:", Assert.IsType<PreflightVerdict.Refuse>(verdict).Reason);
        Assert.Equal(dualBank, FleetOrchestrator.Firmware.Images.L072RomBootloader.SupportsDualBankBoot(rom));
    }
}
