using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.Devices.Messages;
using FleetOrchestrator.Orchestration.ReadModel;
using FleetOrchestrator.Server.Api;

namespace FleetOrchestrator.Host.Adapters;

/// <summary>Maps a device actor's own view onto the operator API's shapes.</summary>
internal static class DeviceViews
{
    public static DeviceSummary Summary(DeviceSagaView view) => new(
        view.DeviceId,
        view.Running?.Version ?? view.LastReport?.RunningVersion,
        view.Online ?? false,
        PhaseName(view.Saga?.Phase ?? SagaPhase.None),
        view.Saga?.Outcome is { } outcome ? OutcomeName(outcome) : null,
        view.Saga?.TargetArtifactId,
        view.LastSeenAt);

    public static DeviceSummary Summary(FleetDeviceRow row) => new(
        row.DeviceId,
        row.RunningVersion,
        row.Online ?? false,
        PhaseName(row.Phase),
        row.Outcome is { } outcome ? OutcomeName(outcome) : null,
        row.TargetArtifactId,
        row.LastSeenAt);

    public static DeviceDetail Detail(DeviceSagaView view) => new(
        Summary(view),
        view.LastReport,
        view.Saga is null
            ? []
            : [.. view.Saga.History.Select(t => new SagaHistoryEntry(t.At, view.Saga.UpdateId, t.Fact, view.Saga.TargetArtifactId, t.Detail))]);

    public static string PhaseName(SagaPhase phase) => phase == SagaPhase.None ? "idle" : char.ToLowerInvariant(phase.ToString()[0]) + phase.ToString()[1..];

    public static string OutcomeName(UpdateOutcome outcome) => char.ToLowerInvariant(outcome.ToString()[0]) + outcome.ToString()[1..];
}
