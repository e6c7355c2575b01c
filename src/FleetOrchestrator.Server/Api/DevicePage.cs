namespace FleetOrchestrator.Server.Api;

/// <summary>A page of the filtered fleet; <see cref="Total"/> counts every match, not just this page.</summary>
public sealed record DevicePage(IReadOnlyList<DeviceSummary> Devices, int Total, int Offset, int Limit);
