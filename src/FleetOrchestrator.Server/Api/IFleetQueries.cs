namespace FleetOrchestrator.Server.Api;

/// <summary>
/// Read side the operator API needs: the fleet read model. Implemented by the host over the orchestration's
/// projection. Filtering and paging happen in the implementation so it can use its own indexes.
/// </summary>
public interface IFleetQueries
{
    Task<DevicePage> ListDevicesAsync(DeviceFilter filter, CancellationToken cancellationToken);

    /// <summary>The names the list filter's <c>state</c> accepts (case-insensitive): the saga phases.</summary>
    IReadOnlyList<string> StateNames { get; }

    /// <summary>The names the list filter's <c>outcome</c> accepts (case-insensitive).</summary>
    IReadOnlyList<string> OutcomeNames { get; }

    /// <summary>One device with its update-saga history, oldest entry first; null when the fleet has never seen the device.</summary>
    Task<DeviceDetail?> GetDeviceAsync(string deviceId, CancellationToken cancellationToken);
}
