using Akka.Actor;
using FleetOrchestrator.Orchestration.Devices.Messages;
using FleetOrchestrator.Server.Api;

namespace FleetOrchestrator.Host.Adapters;

/// <summary>The operator API's read side: one device from its actor; the fleet list from the read model.</summary>
internal sealed class ActorFleetQueries(Func<IActorRef> region) : IFleetQueries
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(10);

    public Task<DevicePage> ListDevicesAsync(DeviceFilter filter, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("the fleet read model is not wired yet");

    public async Task<DeviceDetail?> GetDeviceAsync(string deviceId, CancellationToken cancellationToken)
    {
        var view = await region().Ask<DeviceSagaView>(new GetDeviceSaga(deviceId), AskTimeout, cancellationToken).ConfigureAwait(false);
        // An actor with no events is one the fleet has never heard of; asking woke it, nothing was persisted.
        return view.EventCount == 0 ? null : DeviceViews.Detail(view);
    }
}
