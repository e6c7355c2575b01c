using FleetOrchestrator.Protocol.Messages;
using FleetOrchestrator.Protocol.Ports;

namespace FleetOrchestrator.Host.Orchestrator;

/// <summary>
/// The device actors need a command sender before the transport exists (remembered sagas restart as soon as the
/// shard region does, and the broker's inbound side needs the region). Commands sent in that gap wait for the
/// transport instead of failing.
/// </summary>
internal sealed class DeferredCommandSender : IDeviceCommandSender
{
    private readonly TaskCompletionSource<IDeviceCommandSender> _transport = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Attach(IDeviceCommandSender transport) => _transport.TrySetResult(transport);

    public ValueTask SendAsync(string deviceId, DeviceCommand command, CancellationToken cancellationToken = default)
    {
        if (_transport.Task.IsCompletedSuccessfully) return _transport.Task.Result.SendAsync(deviceId, command, cancellationToken);
        return SendLaterAsync(deviceId, command, cancellationToken);
    }

    private async ValueTask SendLaterAsync(string deviceId, DeviceCommand command, CancellationToken cancellationToken)
    {
        var transport = await _transport.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        await transport.SendAsync(deviceId, command, cancellationToken).ConfigureAwait(false);
    }
}
