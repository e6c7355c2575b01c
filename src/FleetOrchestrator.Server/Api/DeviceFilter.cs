using FleetOrchestrator.Firmware.Versioning;

namespace FleetOrchestrator.Server.Api;

/// <summary>
/// Which devices to list. Null criteria match everything. <see cref="Outcome"/> and <see cref="State"/> are the
/// orchestration's own names (e.g. "succeeded", "awaitingBoot") compared case-insensitively.
/// </summary>
public sealed record DeviceFilter(
    SemanticVersion? Version,
    string? Outcome,
    string? State,
    bool? Online,
    int Offset = 0,
    int Limit = DeviceFilter.DefaultLimit)
{
    public const int DefaultLimit = 1000;
    public const int MaxLimit = 10_000;
}
