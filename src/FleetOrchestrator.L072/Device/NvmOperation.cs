namespace FleetOrchestrator.L072.Device;

/// <summary>Kinds of counted non-volatile operations: each one is a point where a power cut can be injected.</summary>
public enum NvmOperationKind { PageErase, WordProgram, HalfPageProgram, EepromWrite, OptionByteWrite, OptionByteLaunch }

/// <summary>One counted operation (1-based <paramref name="Index"/>) at a logical address.</summary>
public readonly record struct NvmOperation(long Index, NvmOperationKind Kind, uint Address);
