using System.Collections.Concurrent;
using FleetOrchestrator.Server.Api;

namespace FleetOrchestrator.Server.Tests.Fakes;

/// <summary>The read model as a dictionary; records the last filter so tests see what the endpoint parsed.</summary>
internal sealed class InMemoryFleetQueries : IFleetQueries
{
    private readonly ConcurrentDictionary<string, DeviceDetail> _devices = new(StringComparer.Ordinal);

    public DeviceFilter? LastFilter { get; private set; }

    public IReadOnlyList<string> StateNames { get; } = ["idle", "downloading", "healthWindow", "completed"];

    public IReadOnlyList<string> OutcomeNames { get; } = ["succeeded", "rolledBack", "failed"];

    /// <summary>When set, every device lookup throws it: a read model that fails.</summary>
    public Exception? Failure { get; set; }

    public void Add(DeviceDetail device) => _devices[device.Summary.DeviceId] = device;

    public Task<DevicePage> ListDevicesAsync(DeviceFilter filter, CancellationToken cancellationToken)
    {
        LastFilter = filter;
        var matches = _devices.Values.Select(d => d.Summary)
            .Where(s => filter.Version is null || s.RunningVersion == filter.Version)
            .Where(s => filter.Online is null || s.Online == filter.Online)
            .Where(s => filter.State is null || string.Equals(s.State, filter.State, StringComparison.OrdinalIgnoreCase))
            .Where(s => filter.Outcome is null || string.Equals(s.LastOutcome, filter.Outcome, StringComparison.OrdinalIgnoreCase))
            .OrderBy(s => s.DeviceId, StringComparer.Ordinal)
            .ToList();
        return Task.FromResult(new DevicePage([.. matches.Skip(filter.Offset).Take(filter.Limit)], matches.Count, filter.Offset, filter.Limit));
    }

    public Task<DeviceDetail?> GetDeviceAsync(string deviceId, CancellationToken cancellationToken) =>
        Failure is { } failure ? Task.FromException<DeviceDetail?>(failure) : Task.FromResult(_devices
            .TryGetValue(deviceId, out var d) ? d : null);
}
