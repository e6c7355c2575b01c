using FleetOrchestrator.Protocol.Messages;

namespace FleetOrchestrator.Protocol.Ports;

/// <summary>
/// Delivers one command to one device. The transport decides how (a broker publish, or a direct enqueue into the
/// device's session on the embedded broker); the orchestration only knows device ids.
/// </summary>
public interface IDeviceCommandSender
{
    /// <summary>Hands the command to the transport. Completes when the transport accepted it, not when the device got it.</summary>
    ValueTask SendAsync(string deviceId, DeviceCommand command, CancellationToken cancellationToken = default);
}
