namespace FleetOrchestrator.L072.Device;

/// <summary>
/// Thrown out of whatever code was running on the modelled MCU when it stops abruptly in the middle of an operation
/// (the C analogue is MCUboot sim's longjmp out of boot_go). RAM state of that code is gone.
/// </summary>
public abstract class ExecutionInterruptedException(string message, NvmOperation operation) : Exception(message)
{
    public NvmOperation Operation { get; } = operation;
}

/// <summary>An injected power cut hit before (or, when torn, during) <see cref="ExecutionInterruptedException.Operation"/>. The device stays unpowered until <see cref="L072Device.PowerOn"/>.</summary>
public sealed class PowerLostException(NvmOperation operation)
    : ExecutionInterruptedException($"power lost at operation {operation.Index} ({operation.Kind} at 0x{operation.Address:X8})", operation);

/// <summary>The IWDG expired while an operation ran: the device has already reset and booted (hardware part).</summary>
public sealed class WatchdogResetException(NvmOperation operation)
    : ExecutionInterruptedException($"IWDG reset during operation {operation.Index} ({operation.Kind} at 0x{operation.Address:X8})", operation);
