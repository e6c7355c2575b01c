namespace FleetOrchestrator.Server.Api.Rollouts;

/// <summary>One page of a rollout's devices; <see cref="Total"/> counts every device the query selects.</summary>
public sealed record RolloutDevicePage(
    string RolloutId, int Total, int Offset, int Limit, IReadOnlyList<RolloutDeviceEntry> Devices)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;
}
