using FleetOrchestrator.Server.Api.Rollouts;

namespace FleetOrchestrator.Server.Dashboard;

/// <summary>
/// One coalesced message of <c>GET /api/events</c> (event <c>update</c>): what changed since the previous one.
/// </summary>
/// <param name="Seq">Increases by one per message; a client that sees a gap reloads.</param>
/// <param name="Rollouts">The rollouts that changed, each read once for every client.</param>
/// <param name="Outcomes">Sagas concluded since the previous message, by outcome: the chart's next point.</param>
/// <param name="Fleet">The fleet's counts when they were read again since the previous message, else null.</param>
/// <param name="Devices">Devices with new events (at most <see cref="DashboardSettings.MaxDevicesPerUpdate"/>), so a
/// client showing one of them reads it again.</param>
/// <param name="DeviceEvents">Device events behind this message.</param>
/// <param name="RolloutEvents">Rollout events behind this message.</param>
public sealed record DashboardUpdate(
    long Seq,
    DateTimeOffset At,
    IReadOnlyList<RolloutDetail> Rollouts,
    IReadOnlyDictionary<string, int> Outcomes,
    FleetCounts? Fleet,
    IReadOnlyList<string> Devices,
    int DeviceEvents,
    int RolloutEvents);
