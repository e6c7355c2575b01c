using FleetOrchestrator.Protocol.Messages;

namespace FleetOrchestrator.Protocol.Ports;

/// <summary>
/// Receives decoded device traffic from a transport. Called on transport threads: implementations must not block
/// (hand off to actors with Tell).
/// </summary>
public interface IDeviceTrafficHandler
{
    void OnEvent(string deviceId, DeviceEvent deviceEvent);
    void OnState(string deviceId, DeviceStateReport state);
    void OnPresence(string deviceId, DevicePresence presence);
    /// <summary>Traffic that was refused: malformed payload, wrong topic, unknown device. Nothing is lost silently.</summary>
    void OnRejected(string topic, string? clientId, string reason);
}
