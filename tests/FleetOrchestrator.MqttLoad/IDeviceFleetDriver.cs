namespace FleetOrchestrator.MqttLoad;

/// <summary>How the measurement drives the devices: in a child process over TCP, or in this process over the in-process link.</summary>
internal interface IDeviceFleetDriver : IAsyncDisposable
{
    /// <summary>Connects every device; returns the time it took and the device side's memory per connection.</summary>
    Task<(TimeSpan Elapsed, string Memory)> ConnectAllAsync();

    /// <summary>Returns once counting is armed; the inner task completes when <paramref name="count"/> commands arrived.</summary>
    Task<Task> ExpectAsync(int count);

    /// <summary>Every device publishes one event; returns when every PUBACK arrived.</summary>
    Task PublishOneEventEachAsync();
}
