using FleetOrchestrator.Host.Orchestrator;
using FleetOrchestrator.Protocol.Messages;
using FleetOrchestrator.Simulation.Devices;

namespace FleetOrchestrator.Simulation.Runs;

/// <summary>
/// The orchestrator handed a command to its broker: the simulated network pages the device it is for.
/// </summary>
internal sealed class PagingCommandObserver(DevicePaging paging) : IDeviceCommandObserver
{
    public void CommandAccepted(string deviceId, DeviceCommand command) => paging.Page(deviceId);
}
