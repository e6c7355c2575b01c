using FleetOrchestrator.Protocol.Messages;

namespace FleetOrchestrator.Host.Orchestrator;

/// <summary>
/// Told after the transport accepted a command for a device (registered in DI by a composition's configure callback).
/// `fleet simulate` uses it as the cellular network's paging: a sleeping simulated device wakes up when a command
/// waits for it in its session. The product registers none.
/// </summary>
public interface IDeviceCommandObserver
{
    /// <summary>Runs on the sender's path: keep it short (hand off).</summary>
    void CommandAccepted(string deviceId, DeviceCommand command);
}
