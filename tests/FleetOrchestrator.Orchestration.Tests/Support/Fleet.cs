using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.Orchestration.Devices.Messages;
using FleetOrchestrator.Protocol.Messages;

namespace FleetOrchestrator.Orchestration.Tests.Support;

/// <summary>Test data: a compatible L072 running 1.0.0 from bank 1, and an update to 1.1.0.</summary>
public static class Fleet
{
    public static readonly SemanticVersion Old = new(1, 0, 0);
    public static readonly SemanticVersion New = new(1, 1, 0);
    public const uint NewCrc = 0xC0FFEE01;

    public static HardwareInfo Hardware(string rom = "4.1", string silicon = "Z", int rdp = 1, int flashKb = 192, string target = "stm32l072cz",
        SemanticVersion? bootloader = null) =>
        new(target, flashKb, rom, silicon, rdp, bootloader ?? new SemanticVersion(2, 0, 0));

    public static DeviceStateReport Report(SemanticVersion? running = null, BankId bank = BankId.Bank1, ImageState image = ImageState.Committed,
        HardwareInfo? hardware = null) =>
        new(running ?? Old, bank, bank == BankId.Bank2, image, ResetCause.PowerOn, hardware ?? Hardware(), 0x11112222, null);

    public static UpdateTarget Target(bool allowDowngrade = false) => new(
        "fw-1.1.0", New, new SignedManifestDto("bWFuaWZlc3Q=", "c2ln", "key-1"), "https://artifacts.example/fw-1.1.0.bin",
        90_000, NewCrc, "stm32l072cz", new SemanticVersion(1, 0, 0), allowDowngrade);

    /// <summary>Short, distinct timings so tests can tell every deadline apart.</summary>
    public static UpdatePolicy Policy(bool activateAutomatically = true) => new()
    {
        ReachTimeout = TimeSpan.FromMinutes(60),
        MaxDownloadAttempts = 3,
        DownloadAttemptTimeout = TimeSpan.FromMinutes(20),
        BackoffBase = TimeSpan.FromMinutes(1),
        BackoffCap = TimeSpan.FromMinutes(3),
        MaxIntegrityFailures = 2,
        ActivateAutomatically = activateAutomatically,
        SwapAckTimeout = TimeSpan.FromMinutes(7),
        BootTimeout = TimeSpan.FromMinutes(9),
        HealthWindow = TimeSpan.FromMinutes(11),
        CommitTimeout = TimeSpan.FromMinutes(13),
        RollbackTimeout = TimeSpan.FromMinutes(17),
        ResendInterval = TimeSpan.FromMinutes(2),
    };
}
