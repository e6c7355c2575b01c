using FleetOrchestrator.Protocol.Messages;
using FleetOrchestrator.Protocol.Ports;

namespace FleetOrchestrator.Host.Orchestrator;

/// <summary>
/// The device actors need a command sender before the transport exists (remembered sagas restart as soon as the
/// shard region does, and the broker's inbound side needs the region). Commands sent in that gap wait for the
/// transport instead of failing. Each command the transport accepted is then told to the
/// <see cref="IDeviceCommandObserver"/>s, if any.
/// </summary>
internal sealed class DeferredCommandSender(IEnumerable<IDeviceCommandObserver> observers) : IDeviceCommandSender
{
    private readonly TaskCompletionSource<IDeviceCommandSender> _transport = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly IDeviceCommandObserver[] _observers = [.. observers];

    public void Attach(IDeviceCommandSender transport) => _transport.TrySetResult(transport);

    public ValueTask SendAsync(string deviceId, DeviceCommand command, CancellationToken cancellationToken = default)
    {
        if (_transport.Task.IsCompletedSuccessfully && _observers.Length == 0)
            return _transport.Task.Result.SendAsync(deviceId, command, cancellationToken);
        return SendLaterAsync(deviceId, command, cancellationToken);
    }

    private async ValueTask SendLaterAsync(string deviceId, DeviceCommand command, CancellationToken cancellationToken)
    {
        var transport = await _transport.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        await transport.SendAsync(deviceId, command, cancellationToken).ConfigureAwait(false);
        foreach (var observer in _observers) observer.CommandAccepted(deviceId, command);
    }
}
