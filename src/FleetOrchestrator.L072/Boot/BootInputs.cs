using FleetOrchestrator.L072.Device;

namespace FleetOrchestrator.L072.Boot;

/// <summary>What the boot logic samples at reset: pins, loaded option bytes, ROM/silicon identity, bank validity.</summary>
public readonly record struct BootInputs(
    bool Boot0,
    bool NBoot1,
    bool Bfb2,
    RdpLevel Rdp,
    RomBootloaderVersion Rom,
    SiliconRevision Revision,
    bool DualBankPart,
    bool Bank1Valid,
    bool Bank2Valid);
