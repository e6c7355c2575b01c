using FleetOrchestrator.L072.Device;

namespace FleetOrchestrator.L072.Boot;

/// <summary>The outcome of the boot logic: the path, the UFB value left behind and the MEM_MODE alias.</summary>
public readonly record struct BootDecision(BootPath Path, bool Ufb, MemoryMode MemMode)
{
    public ExecutionState State => Path switch
    {
        BootPath.RomWaitingForHost => ExecutionState.RomWaitingForHost,
        BootPath.Sram => ExecutionState.ExecutingSram,
        _ => ExecutionState.ExecutingFlash,
    };
}
